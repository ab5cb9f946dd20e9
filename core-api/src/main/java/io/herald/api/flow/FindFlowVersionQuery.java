package io.herald.api.flow;

/** One published version of a flow; answered with a {@link FlowVersionView} or null. */
public record FindFlowVersionQuery(String flowId, int version) {
}
