package io.herald.api.webhook;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Herald switched a webhook subscription off (its endpoint kept failing, {@code reason} says how long); announced to
 * the other subscriptions as {@code webhook.disabled}. Enabled again by an update with {@code enabled: true}.
 */
@Revision("1")
public record WebhookSubscriptionDisabledEvent(String subscriptionId, String url, String reason, Instant disabledAt)
        implements WebhookSubscriptionEvent {
}
