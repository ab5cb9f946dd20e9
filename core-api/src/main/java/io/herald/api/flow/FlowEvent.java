package io.herald.api.flow;

/** Everything that can happen to a flow's definition and lifecycle. */
public sealed interface FlowEvent permits FlowCreatedEvent, FlowDraftUpdatedEvent, FlowPublishedEvent,
        FlowActivatedEvent, FlowPausedEvent, FlowResumedEvent, FlowArchivedEvent, FlowStoppedEvent, FlowRunsMovedEvent {

    String flowId();
}
