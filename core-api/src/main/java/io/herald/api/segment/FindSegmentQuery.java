package io.herald.api.segment;

/** One segment (not deleted); answered with a {@link SegmentView} or null. */
public record FindSegmentQuery(String segmentId) {
}
