package io.herald.api.webhook;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A webhook subscription's definition was replaced (enabling and disabling by hand included). */
@Revision("1")
public record WebhookSubscriptionUpdatedEvent(String subscriptionId, WebhookSubscriptionDefinition definition,
                                              Instant updatedAt) implements WebhookSubscriptionEvent {
}
