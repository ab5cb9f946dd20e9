package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.time.ZoneId;

/** Scheduled, or rescheduled when {@code previousSendAt} is set. */
@Revision("1")
public record CampaignScheduledEvent(String campaignId, Instant sendAt, ZoneId timeZone, Instant previousSendAt)
        implements CampaignEvent {
}
