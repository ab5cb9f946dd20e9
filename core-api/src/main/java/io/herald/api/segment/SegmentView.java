package io.herald.api.segment;

import java.time.Instant;

/** A segment as the API shows it; {@code version} grows with every change. */
public record SegmentView(String id, String name, String description, SegmentRule rules, Instant createdAt,
                          Instant updatedAt, long version) {
}
