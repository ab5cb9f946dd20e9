package io.herald.api.flow;

import java.util.List;

public record FlowPage(List<FlowSummaryView> items, int page, int size, long totalItems, int totalPages) {
}
