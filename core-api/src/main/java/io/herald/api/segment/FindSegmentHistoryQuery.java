package io.herald.api.segment;

/** A segment's events from the event store; answered with a {@link SegmentHistoryView} or null. */
public record FindSegmentHistoryQuery(String segmentId) {
}
