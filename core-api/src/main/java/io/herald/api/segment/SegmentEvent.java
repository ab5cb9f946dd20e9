package io.herald.api.segment;

/** Everything that can happen to a segment definition. */
public sealed interface SegmentEvent permits SegmentCreatedEvent, SegmentUpdatedEvent, SegmentDeletedEvent {

    String segmentId();
}
