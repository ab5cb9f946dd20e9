package io.herald.api.flow;

/**
 * One contact's runs in every flow, newest entry first, without their decision logs (those are in
 * {@link FindFlowRunsQuery}); answered with a {@link FlowRunPage}.
 */
public record FindContactFlowRunsQuery(String contactId, int page, int size) {
}
