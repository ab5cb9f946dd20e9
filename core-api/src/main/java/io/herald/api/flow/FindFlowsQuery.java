package io.herald.api.flow;

/** A page of flows, most recently changed first; answered with a {@link FlowPage}. */
public record FindFlowsQuery(int page, int size) {
}
