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

    /** Finished share of the audience, 0–100 with one decimal, rounded down (an empty frozen audience is done). */
    public static double percentOf(long finished, long audience, boolean frozen) {
        return audience == 0 ? (frozen ? 100 : 0) : Math.floor(finished * 1000.0 / audience) / 10;
    }

    /**
     * The finished run as its completion recorded it: the counters of {@code totals} (what the campaign
     * completed with), whatever the run row showed when it was read.
     */
    public CampaignProgressView completedWith(DeliveryTotals totals, Instant completedAt) {
        long finished = totals.finished();
        return new CampaignProgressView(campaignId, channel, "DONE", true, totals.audience(), totals.sent(),
                                        totals.failed(), totals.skipped(), totals.unknown(),
                                        Math.max(0, totals.audience() - finished),
                                        percentOf(finished, totals.audience(), true),
                                        ratePerSecond, null, launchedAt, frozenAt,
                                        finishedAt == null ? completedAt : finishedAt, updatedAt);
    }

    /**
     * The same progress in another state, known from an event before the run row shows it; DONE also
     * means nothing remains (and {@code finishedAt} fills in a missing finish time).
     */
    public CampaignProgressView withState(String newState, Instant finishedAtIfUnknown) {
        boolean done = "DONE".equals(newState);
        return new CampaignProgressView(campaignId, channel, newState, frozen, audience, sent, failed, skipped, unknown,
                                        done ? 0 : remaining, done ? 100 : percent, ratePerSecond,
                                        done ? null : etaSeconds, launchedAt, frozenAt,
                                        finishedAt == null ? finishedAtIfUnknown : finishedAt, updatedAt);
    }
}
