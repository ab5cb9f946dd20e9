package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

import java.time.Instant;

@Revision("1")
public record CampaignLaunchedEvent(String campaignId, Instant launchedAt, LaunchTrigger trigger)
        implements CampaignEvent {
}
