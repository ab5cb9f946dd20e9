package io.herald.api.webhook;

/**
 * A subscription's messages, newest first, each with every attempt; {@code status} filters (PENDING, SENDING,
 * SUCCEEDED, FAILED), {@code before} pages on (a message's {@code sequence}).
 */
public record FindWebhookDeliveriesQuery(String subscriptionId, String status, Long before, int limit) {
}
