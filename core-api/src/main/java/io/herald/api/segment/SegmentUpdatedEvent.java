package io.herald.api.segment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record SegmentUpdatedEvent(String segmentId, SegmentDefinition definition) implements SegmentEvent {
}
