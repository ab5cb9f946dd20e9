package io.herald.api.webhook;

/** One subscription, or null. */
public record FindWebhookSubscriptionQuery(String subscriptionId) {
}
