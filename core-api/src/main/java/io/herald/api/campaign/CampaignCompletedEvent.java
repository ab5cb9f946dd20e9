package io.herald.api.campaign;

import io.herald.api.delivery.DeliveryTotals;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Every recipient has a final status; {@code totals} may be null in events stored before delivery existed. */
@Revision("1")
public record CampaignCompletedEvent(String campaignId, Instant completedAt, DeliveryTotals totals)
        implements CampaignEvent {
}
