package io.herald.api.webhook;

/** Replaces a subscription's secret; the previous one stays valid for a while. Answers a {@link WebhookSecretView}. */
public record RotateWebhookSecretCommand(String subscriptionId) {
}
