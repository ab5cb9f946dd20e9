package io.herald.api.flow;

/** A flow's events from the event store (its audit); answered with a {@link FlowHistoryView} or null. */
public record FindFlowHistoryQuery(String flowId) {
}
