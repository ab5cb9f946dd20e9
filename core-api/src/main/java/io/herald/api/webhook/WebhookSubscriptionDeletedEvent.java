package io.herald.api.webhook;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A webhook subscription was deleted: nothing more is sent to it, its queued messages are dropped. */
@Revision("1")
public record WebhookSubscriptionDeletedEvent(String subscriptionId, Instant deletedAt)
        implements WebhookSubscriptionEvent {
}
