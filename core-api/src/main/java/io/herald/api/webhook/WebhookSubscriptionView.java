package io.herald.api.webhook;

import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription as the API shows it (never with its secret).
 *
 * @param disabledReason why Herald switched it off, while it is off for that reason
 * @param version        the sequence number of its last event (the ETag)
 */
public record WebhookSubscriptionView(String id, String url, List<String> eventTypes, String description,
                                      boolean enabled, Double campaignFailureRate, Instant startFrom,
                                      String disabledReason, Instant createdAt, Instant updatedAt, long version) {
}
