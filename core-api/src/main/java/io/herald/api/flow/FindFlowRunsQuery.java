package io.herald.api.flow;

/** A flow's runs with their decision logs, newest first, optionally of one contact; answered with a {@link FlowRunPage}. */
public record FindFlowRunsQuery(String flowId, String contactId, int page, int size) {
}
