package io.herald.api.webhook;

/** Queues a {@code webhook.test} message to one subscription; answers the message's id. */
public record SendWebhookTestCommand(String subscriptionId) {
}
