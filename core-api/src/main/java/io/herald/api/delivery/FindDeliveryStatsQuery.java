package io.herald.api.delivery;

/** Final outcomes per day (UTC) for the last {@code days} days, today included; answered with a {@link DeliveryStatsView}. */
public record FindDeliveryStatsQuery(int days) {
}
