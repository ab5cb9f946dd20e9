package io.herald.api.webhook;

import java.time.Instant;
import java.util.List;

/** A page of a subscription's messages; {@code next} is the {@code before} of the next page (null at the end). */
public record WebhookDeliveryPage(List<WebhookDelivery> items, Long next) {

    /**
     * One message: its {@code webhook-id} ({@code id}), type, status ({@code PENDING}, {@code SENDING},
     * {@code SUCCEEDED}, {@code FAILED}: dead-lettered after the last retry), when the next attempt is due.
     */
    public record WebhookDelivery(String id, long sequence, String eventType, String status, int attempts,
                           Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, List<WebhookAttempt> attemptLog) {
    }

    /**
     * One attempt: its number, {@code SUCCEEDED} or {@code FAILED}, the HTTP status (null when none came), the
     * first bytes of the answer, how long it took, the error when no answer came, and the next attempt it led to.
     */
    public record WebhookAttempt(int attempt, String status, Integer responseCode, String responseBody, long durationMillis,
                         String error, Instant attemptedAt, Instant nextAttemptAt) {
    }
}
