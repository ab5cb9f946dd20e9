package io.herald.api.webhook;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Deletes a webhook subscription. */
public record DeleteWebhookSubscriptionCommand(@TargetAggregateIdentifier String subscriptionId) {
}
