package io.herald.api.contact;

/**
 * Everything that happened to a contact, in the order the event store holds it; answered with a
 * {@link ContactTimelineView}, or null when the contact is unknown.
 *
 * @param after only entries after this position (the event store's global index), or null
 * @param limit at most this many entries (1–1000)
 */
public record FindContactTimelineQuery(String contactId, Long after, int limit) {
}
