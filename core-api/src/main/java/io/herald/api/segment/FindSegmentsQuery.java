package io.herald.api.segment;

/** A page of segments, most recently changed first; answered with a {@link SegmentPage}. */
public record FindSegmentsQuery(int page, int size) {
}
