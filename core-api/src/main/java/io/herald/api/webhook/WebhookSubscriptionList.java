package io.herald.api.webhook;

import java.util.List;

/** The subscriptions. */
public record WebhookSubscriptionList(List<WebhookSubscriptionView> items) {
}
