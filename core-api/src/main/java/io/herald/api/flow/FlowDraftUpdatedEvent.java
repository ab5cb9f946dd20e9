package io.herald.api.flow;

import org.axonframework.serialization.Revision;

/** A flow's draft was replaced. */
@Revision("1")
public record FlowDraftUpdatedEvent(String flowId, String name, FlowDefinition draft) implements FlowEvent {
}
