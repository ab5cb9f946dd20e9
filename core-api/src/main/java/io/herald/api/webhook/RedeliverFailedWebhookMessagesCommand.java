package io.herald.api.webhook;

/** Sends every dead-lettered message of a subscription again, now; answers how many. */
public record RedeliverFailedWebhookMessagesCommand(String subscriptionId) {
}
