package io.herald.api.tracking;

import java.time.Instant;
import java.util.Map;

/**
 * One event as a client sent it (Segment's shape). {@code userId} is the contact's external id;
 * {@code anonymousId} a device or session id for events before the user is known.
 *
 * @param timestamp when it happened, as the client says (null: when received)
 * @param messageId     the client's id of this event; the same id sent again is stored once
 * @param correlationId the request it came with, when several requests are stored together (else null:
 *                      the command's own correlation id)
 */
public record TrackedEventInput(String userId, String anonymousId, String event, Map<String, Object> properties,
                                Instant timestamp, String messageId, String correlationId) {

    public TrackedEventInput(String userId, String anonymousId, String event, Map<String, Object> properties,
                             Instant timestamp, String messageId) {
        this(userId, anonymousId, event, properties, timestamp, messageId, null);
    }
}
