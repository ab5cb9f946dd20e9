package io.herald.api.webhook;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Makes a webhook subscription (its secret was issued before, {@link IssueWebhookSecretCommand}). */
public record CreateWebhookSubscriptionCommand(@TargetAggregateIdentifier String subscriptionId,
                                               WebhookSubscriptionDefinition definition, Instant startFrom) {
}
