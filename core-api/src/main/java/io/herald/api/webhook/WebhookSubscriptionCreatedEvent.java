package io.herald.api.webhook;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A webhook subscription was made. Its signing secret is not here (secrets never enter the event store: the
 * dispatcher keeps them encrypted in its own table).
 *
 * @param startFrom events stored from this moment on are sent to it, also those before its creation (a replay);
 *                  null: from its creation on
 */
@Revision("1")
public record WebhookSubscriptionCreatedEvent(String subscriptionId, WebhookSubscriptionDefinition definition,
                                              Instant startFrom, Instant createdAt) implements WebhookSubscriptionEvent {
}
