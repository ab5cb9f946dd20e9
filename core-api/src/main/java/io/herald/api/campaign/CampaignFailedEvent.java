package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The campaign's run cannot go on: it stops, and the campaign is FAILED for good (no resume, no relaunch).
 *
 * @param previousStatus RUNNING or PAUSED
 * @param reason         a stable code: {@link #CHANNEL_NOT_CONFIGURED}, {@link #SEGMENT_DELETED}
 * @param detail         what happened, for people (may be null)
 */
@Revision("1")
public record CampaignFailedEvent(String campaignId, CampaignStatus previousStatus, String reason, String detail,
                                  Instant failedAt) implements CampaignEvent {

    /** Herald has no settings for the campaign's channel (e.g. no SMTP server): no send can go out. */
    public static final String CHANNEL_NOT_CONFIGURED = "channel-not-configured";
    /** The campaign's segment no longer exists: there is no audience to freeze. */
    public static final String SEGMENT_DELETED = "segment-deleted";
}
