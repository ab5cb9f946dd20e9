package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The recipients of a launched campaign are written down: the segment was evaluated once, at this version. */
@Revision("1")
public record CampaignAudienceFrozenEvent(String campaignId, long audience, long skipped, String segmentId,
                                          long segmentVersion, Instant frozenAt) implements CampaignEvent {
}
