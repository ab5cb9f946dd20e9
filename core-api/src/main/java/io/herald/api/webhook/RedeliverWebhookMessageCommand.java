package io.herald.api.webhook;

/** Sends one message of a subscription again (same {@code webhook-id}), now. */
public record RedeliverWebhookMessageCommand(String subscriptionId, String deliveryId) {
}
