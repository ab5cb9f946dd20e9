package io.herald.api.flow;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A flow was activated; {@code version} is its latest published version. */
@Revision("1")
public record FlowActivatedEvent(String flowId, int version, Instant at) implements FlowEvent {
}
