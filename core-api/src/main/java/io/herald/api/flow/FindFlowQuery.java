package io.herald.api.flow;

/** One flow with its draft and its versions; answered with a {@link FlowView} or null. */
public record FindFlowQuery(String flowId) {
}
