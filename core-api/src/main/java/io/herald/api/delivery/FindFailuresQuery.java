package io.herald.api.delivery;

import io.herald.api.campaign.Channel;

import java.time.Instant;

/**
 * The failure log, newest first; every filter optional. Keyset: pass the previous page's {@code next}
 * as {@code beforeId}. Answered with a {@link FailurePage}.
 */
public record FindFailuresQuery(String campaignId, Channel channel, String reason, Instant from, Instant to,
                                Long beforeId, int limit) {
}
