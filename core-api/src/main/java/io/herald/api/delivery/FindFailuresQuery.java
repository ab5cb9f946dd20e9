package io.herald.api.delivery;

import io.herald.api.campaign.Channel;

import java.time.Instant;

/**
 * The failure log, newest first; every filter optional. Keyset: pass the previous page's {@code next}
 * as {@code beforeId}. Answered with a {@link FailurePage}. {@code flowId} keeps a flow's send nodes' entries.
 */
public record FindFailuresQuery(String campaignId, Channel channel, String reason, Instant from, Instant to,
                                Long beforeId, int limit, java.util.UUID flowId) {

    public FindFailuresQuery(String campaignId, Channel channel, String reason, Instant from, Instant to,
                             Long beforeId, int limit) {
        this(campaignId, channel, reason, from, to, beforeId, limit, null);
    }
}
