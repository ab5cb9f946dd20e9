package io.herald.api.flow;

import org.axonframework.serialization.Revision;

/** A flow was created with its first draft. */
@Revision("1")
public record FlowCreatedEvent(String flowId, String name, FlowDefinition draft) implements FlowEvent {
}
