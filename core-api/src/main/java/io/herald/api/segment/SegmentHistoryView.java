package io.herald.api.segment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Who changed a segment's definition, what and when, in order. */
public record SegmentHistoryView(String segmentId, List<Entry> events) {

    public record Entry(long sequence, String type, String revision, Instant timestamp, Map<String, Object> payload,
                        String actor, String correlationId) {
    }
}
