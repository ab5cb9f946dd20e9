package io.herald.api.segment;

import java.util.List;

/** One page of reachable contact ids; {@code next} is the id to continue after, null at the end. */
public record SegmentAudienceView(List<String> contactIds, String next) {
}
