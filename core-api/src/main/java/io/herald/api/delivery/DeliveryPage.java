package io.herald.api.delivery;

import java.util.List;

/** A page of delivery records; {@code next} continues after the last, null at the end. */
public record DeliveryPage(List<DeliveryView> items, String next) {
}
