package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

/**
 * A copy of this campaign was made: the draft {@code copyId}, named {@code copyName} (its own history starts with a
 * {@link CampaignCreatedEvent} naming this campaign in {@code copiedFrom}).
 */
@Revision("1")
public record CampaignDuplicatedEvent(String campaignId, String copyId, String copyName) implements CampaignEvent {
}
