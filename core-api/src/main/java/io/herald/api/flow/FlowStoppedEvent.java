package io.herald.api.flow;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A flow was stopped (final). */
@Revision("1")
public record FlowStoppedEvent(String flowId, FlowStatus previousStatus, Instant at) implements FlowEvent {
}
