package io.herald.api.contact;

import java.time.Instant;
import io.herald.api.delivery.DeliveryView;

import java.util.List;
import java.util.Map;

/**
 * A contact's events from the event store (profile and consent changes, tracked events), and on the
 * first page the campaign deliveries to it, from the delivery records.
 *
 * @param deliveries the messages campaigns sent (or skipped, or failed) to the contact, newest first (first page only)
 * @param next position to pass as {@code after} for the next page, or null on the last page
 */
public record ContactTimelineView(String contactId, List<Entry> entries, Long next, List<DeliveryView> deliveries) {

    public ContactTimelineView(String contactId, List<Entry> entries, Long next) {
        this(contactId, entries, next, List.of());
    }

    /** The same page with the contact's deliveries (newest first), which live in the delivery records. */
    public ContactTimelineView withDeliveries(List<DeliveryView> deliveries) {
        return new ContactTimelineView(contactId, entries, next, deliveries);
    }

    /**
     * One stored event.
     *
     * @param position      the event store's global index (orders all entries)
     * @param type          event type, e.g. {@code ContactConsentChanged}, {@code EventTracked}
     * @param timestamp     when it was stored
     * @param payload       the event's fields
     * @param actor         who caused it
     * @param correlationId the request or process it belongs to
     */
    public record Entry(long position, String type, String revision, Instant timestamp, Map<String, Object> payload,
                        String actor, String correlationId) {
    }
}
