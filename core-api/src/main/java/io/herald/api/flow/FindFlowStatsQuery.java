package io.herald.api.flow;

/** A flow's run statistics, of one published version or (null) of all; answered with a {@link FlowStatsView}. */
public record FindFlowStatsQuery(String flowId, Integer version) {
}
