package io.herald.api.webhook;

/** The events of a webhook subscription's aggregate. */
public sealed interface WebhookSubscriptionEvent permits WebhookSubscriptionCreatedEvent,
        WebhookSubscriptionUpdatedEvent, WebhookSubscriptionDeletedEvent, WebhookSubscriptionDisabledEvent {

    String subscriptionId();
}
