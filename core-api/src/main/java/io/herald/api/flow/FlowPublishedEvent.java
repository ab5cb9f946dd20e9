package io.herald.api.flow;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The draft became version {@code version} (1, 2, ...), stored here whole and never changed again. */
@Revision("1")
public record FlowPublishedEvent(String flowId, int version, String name, FlowDefinition definition, Instant publishedAt) implements FlowEvent {
}
