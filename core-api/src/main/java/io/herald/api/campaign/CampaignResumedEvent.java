package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

import java.time.Instant;

@Revision("1")
public record CampaignResumedEvent(String campaignId, Instant at) implements CampaignEvent {
}
