package io.herald.api.delivery;

import java.util.List;

/** A page of the failure log; {@code next} is the id to pass as {@code beforeId}, null at the end. */
public record FailurePage(List<FailureView> items, Long next) {
}
