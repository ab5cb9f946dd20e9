package io.herald.api.flow;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A paused flow was resumed. */
@Revision("1")
public record FlowResumedEvent(String flowId, Instant at) implements FlowEvent {
}
