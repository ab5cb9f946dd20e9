package io.herald.api.campaign;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A campaign as the API shows it.
 *
 * @param template marked as a template (copied by {@code POST /api/campaigns/{id}/duplicate}, e.g. daily by n8n)
 * @param failureReason for a FAILED campaign, why its run could not go on (a stable code such as
 *                      {@code channel-not-configured} or {@code segment-deleted}); null otherwise
 * @param failureDetail for a FAILED campaign, the same for people; null otherwise
 * @param version sequence number of the last event applied; grows with every change
 */
public record CampaignView(
        String id,
        String name,
        Channel channel,
        CampaignContent content,
        String segmentId,
        Integer throttlePerSecond,
        boolean transactional,
        boolean template,
        CampaignStatus status,
        Instant sendAt,
        ZoneId timeZone,
        Instant createdAt,
        Instant updatedAt,
        Instant launchedAt,
        Instant finishedAt,
        String failureReason,
        String failureDetail,
        long version) {
}
