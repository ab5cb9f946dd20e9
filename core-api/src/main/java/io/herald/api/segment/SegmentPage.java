package io.herald.api.segment;

import java.util.List;

public record SegmentPage(List<SegmentView> items, int page, int size, long totalItems, int totalPages) {
}
