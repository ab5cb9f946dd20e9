package io.herald.api.segment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record SegmentDeletedEvent(String segmentId) implements SegmentEvent {
}
