package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

@Revision("1")
public record CampaignCreatedEvent(String campaignId, CampaignDefinition definition) implements CampaignEvent {
}
