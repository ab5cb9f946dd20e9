package io.herald.api.flow;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** An active flow was paused. */
@Revision("1")
public record FlowPausedEvent(String flowId, Instant at) implements FlowEvent {
}
