package io.herald.api.webhook;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces a webhook subscription's definition. */
public record UpdateWebhookSubscriptionCommand(@TargetAggregateIdentifier String subscriptionId,
                                               WebhookSubscriptionDefinition definition) {
}
