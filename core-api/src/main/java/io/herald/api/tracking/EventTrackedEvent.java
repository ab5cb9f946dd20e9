package io.herald.api.tracking;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/**
 * Something a contact (or an anonymous visitor) did, as reported by the ingestion API. Stored in
 * the event store as it arrived; segments, flows and replays read it.
 *
 * @param contactId   the contact it belongs to; null for events with only an anonymous id
 * @param occurredAt  when it happened (the client's timestamp, or the receipt time)
 * @param receivedAt  when Herald received it
 * @param late        the client's timestamp was older than the configured horizon
 * @param source      {@code api} or {@code segment}
 */
@Revision("1")
public record EventTrackedEvent(String messageId, String contactId, String userId, String anonymousId, String event,
                                Map<String, Object> properties, Instant occurredAt, Instant receivedAt, boolean late,
                                String source) {
}
