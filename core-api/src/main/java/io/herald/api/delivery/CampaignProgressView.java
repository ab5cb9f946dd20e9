package io.herald.api.delivery;

import io.herald.api.campaign.Channel;

import java.time.Instant;

/**
 * A launched campaign's progress.
 *
 * @param state           FREEZING (writing down the audience), SENDING, PAUSED, CANCELLING, DONE
 * @param audience        recipients written down so far (final once {@code frozen})
 * @param remaining       recipients without a final status yet (waiting, being sent, or waiting for a retry)
 * @param percent         finished share of the audience, 0–100
 * @param ratePerSecond   recipients finished per second, measured over the last few seconds
 * @param etaSeconds      remaining / rate, null when unknown
 */
public record CampaignProgressView(String campaignId, Channel channel, String state, boolean frozen, long audience,
                                   long sent, long failed, long skipped, long unknown, long remaining,
                                   double percent, double ratePerSecond, Long etaSeconds, Instant launchedAt,
                                   Instant frozenAt, Instant finishedAt, Instant updatedAt) {
}
