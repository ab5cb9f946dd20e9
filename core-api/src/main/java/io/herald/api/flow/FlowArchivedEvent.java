package io.herald.api.flow;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A flow was archived (final). */
@Revision("1")
public record FlowArchivedEvent(String flowId, FlowStatus previousStatus, Instant at) implements FlowEvent {
}
