package io.herald.api.delivery;

/**
 * What happened to one recipient in a batch.
 *
 * @param status            the status it moved to (a final one, or PENDING when a retry is due)
 * @param reason            why it failed or was skipped, a stable code (e.g. {@code unsubscribed}, {@code http-500})
 * @param attempts          sends tried so far
 * @param providerMessageId the provider's id, when sent
 */
public record DeliveryOutcome(String contactId, DeliveryStatus status, String reason, int attempts,
                              String providerMessageId) {
}
