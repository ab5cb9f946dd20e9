package io.herald.api.tracking;

/**
 * The names of the events Herald has tracked that start with {@code prefix} (case-insensitive; empty: all), at most
 * {@code limit}, in name order; answered with a {@link TrackedEventNamesView}.
 */
public record FindTrackedEventNamesQuery(String prefix, int limit) {
}
