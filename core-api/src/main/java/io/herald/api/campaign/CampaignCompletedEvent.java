package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

import java.time.Instant;

@Revision("1")
public record CampaignCompletedEvent(String campaignId, Instant completedAt) implements CampaignEvent {
}
