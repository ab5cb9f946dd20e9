package io.herald.api.flow;

/**
 * Moves a flow's runs waiting on version {@code fromVersion} to the later published {@code toVersion}, each at the
 * node of the same id (runs at a node the later version lacks stay where they are); handled by the flow runtime,
 * which records it on the flow ({@link RecordFlowRunsMovedCommand}); answered with a {@link FlowRunsMoveResult}.
 */
public record MoveFlowRunsCommand(String flowId, int fromVersion, int toVersion) {
}
