package io.herald.api.webhook;

import java.util.List;

/**
 * What a webhook subscription asks for: where to POST, which event types, a description, whether it is on, and the
 * failure rate (0 to 1) of a campaign's finished sends above which {@code campaign.failed} is announced to it (null:
 * only when a run cannot go on).
 */
public record WebhookSubscriptionDefinition(String url, List<String> eventTypes, String description, boolean enabled,
                                            Double campaignFailureRate) {

    public WebhookSubscriptionDefinition {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
    }
}
