package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Cancelled from {@code previousStatus}; {@code reason} is optional. */
@Revision("1")
public record CampaignCancelledEvent(String campaignId, CampaignStatus previousStatus, String reason, Instant at)
        implements CampaignEvent {
}
