package io.herald.api.tracking;

import java.util.List;

/**
 * Tracked event names, for the forms that name an event (flow triggers, wait for event, exit conditions).
 *
 * @param names the names found, in name order
 */
public record TrackedEventNamesView(List<Name> names) {

    /**
     * @param name         the event's name as tracked
     * @param count        how many events of that name are stored, counted up to {@code countLimit}
     * @param more         true when there are more than {@code count} (the count stopped at its limit)
     * @param propertyKeys the top-level property keys of its most recent events (up to 100 of them), sorted
     */
    public record Name(String name, long count, boolean more, List<String> propertyKeys) {
    }
}
