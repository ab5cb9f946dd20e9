package io.herald.api.campaign;

/** Everything that can happen to a campaign; the event store keeps them as its audit history. */
public sealed interface CampaignEvent permits CampaignCreatedEvent, CampaignUpdatedEvent, CampaignScheduledEvent,
        CampaignLaunchedEvent, CampaignPausedEvent, CampaignResumedEvent, CampaignCancelledEvent,
        CampaignCompletedEvent, CampaignFailedEvent, CampaignAudienceFrozenEvent, CampaignDuplicatedEvent {

    String campaignId();
}
