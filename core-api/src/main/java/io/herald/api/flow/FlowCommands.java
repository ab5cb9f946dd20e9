package io.herald.api.flow;

/** Marker for the flow context's commands; each targets one flow aggregate. */
public sealed interface FlowCommands permits CreateFlowCommand, UpdateFlowDraftCommand, PublishFlowCommand,
        ActivateFlowCommand, PauseFlowCommand, ResumeFlowCommand, ArchiveFlowCommand, StopFlowCommand,
        RecordFlowRunsMovedCommand {

    String flowId();
}
