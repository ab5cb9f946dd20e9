package io.herald.api.flow;

import java.util.List;

/** A page of runs, newest entry first. */
public record FlowRunPage(List<FlowRunView> items, int page, int size, long totalItems) {
}
