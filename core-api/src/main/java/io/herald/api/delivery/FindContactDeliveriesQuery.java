package io.herald.api.delivery;

/** The deliveries of every campaign to one contact, newest first; answered with a {@link DeliveryPage}. */
public record FindContactDeliveriesQuery(String contactId, int limit) {
}
