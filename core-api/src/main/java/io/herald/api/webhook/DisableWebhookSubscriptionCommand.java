package io.herald.api.webhook;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Switches a failing subscription off (sent by the dispatcher, not the API). */
public record DisableWebhookSubscriptionCommand(@TargetAggregateIdentifier String subscriptionId, String reason) {
}
