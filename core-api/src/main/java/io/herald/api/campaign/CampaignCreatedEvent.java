package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

/**
 * A campaign was created as a draft.
 *
 * @param copiedFrom the campaign it is a copy of ({@code POST /api/campaigns/{id}/duplicate}); null for a campaign
 *                   created from scratch, and in creations stored before the field existed (an added field: they read
 *                   with null here)
 */
@Revision("1")
public record CampaignCreatedEvent(String campaignId, CampaignDefinition definition, String copiedFrom)
        implements CampaignEvent {

    /** A campaign created from scratch. */
    public CampaignCreatedEvent(String campaignId, CampaignDefinition definition) {
        this(campaignId, definition, null);
    }
}
