package io.herald.api.segment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record SegmentCreatedEvent(String segmentId, SegmentDefinition definition) implements SegmentEvent {
}
