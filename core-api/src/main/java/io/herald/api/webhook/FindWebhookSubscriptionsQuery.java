package io.herald.api.webhook;

/** Every subscription, newest first. */
public record FindWebhookSubscriptionsQuery() {
}
