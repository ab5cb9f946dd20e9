package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

@Revision("1")
public record CampaignUpdatedEvent(String campaignId, CampaignDefinition definition) implements CampaignEvent {
}
