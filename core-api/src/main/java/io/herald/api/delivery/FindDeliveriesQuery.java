package io.herald.api.delivery;

/**
 * A campaign's delivery records, by contact id (keyset: pass the previous page's {@code next} as
 * {@code afterContactId}); {@code status} null for all. Answered with a {@link DeliveryPage}.
 */
public record FindDeliveriesQuery(String campaignId, DeliveryStatus status, String afterContactId, int limit) {
}
