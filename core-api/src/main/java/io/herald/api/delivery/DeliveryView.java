package io.herald.api.delivery;

import io.herald.api.campaign.Channel;

import java.time.Instant;

/**
 * One recipient of one campaign.
 *
 * @param reason            why it was skipped or failed (stable code), null otherwise
 * @param lastError         the last error the channel reported
 * @param nextAttemptAt     when a retry is due (PENDING after a transient failure)
 */
public record DeliveryView(String campaignId, String contactId, Channel channel, DeliveryStatus status, String reason,
                           int attempts, String providerMessageId, String lastError, Instant createdAt,
                           Instant updatedAt, Instant sentAt, Instant nextAttemptAt) {
}
