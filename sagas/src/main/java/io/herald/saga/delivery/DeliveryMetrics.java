package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.saga.delivery.Deliveries.Recorded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The delivery worker's counters (README, "Metrics"), labelled by channel and outcome only, never by
 * campaign or recipient: {@code herald.sends} counts the recipients whose outcome a batch recorded (once its
 * transaction committed), {@code herald.delivery.throttle.wait} times how long senders waited for the send
 * rate limit before each group.
 */
public final class DeliveryMetrics {

    public static final String SENDS = "herald.sends";
    public static final String THROTTLE_WAIT = "herald.delivery.throttle.wait";

    /** The outcomes of {@code herald.sends}. */
    enum Outcome {
        SENT, FAILED, SKIPPED, UNKNOWN, RETRY;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Channel, Map<Outcome, Counter>> sends = new EnumMap<>(Channel.class);
    private final Map<Channel, Timer> throttleWaits = new EnumMap<>(Channel.class);

    public DeliveryMetrics(MeterRegistry registry) {
        for (Channel channel : Channel.values()) {
            String tag = channel.name().toLowerCase(Locale.ROOT);
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Counter.builder(SENDS)
                        .description("Recipients whose send outcome was recorded: sent, failed (final), skipped, "
                                + "unknown (the send may have gone out), retry (a transient failure, tried again later)")
                        .tag("channel", tag).tag("outcome", outcome.tag())
                        .register(registry));
            }
            sends.put(channel, byOutcome);
            throttleWaits.put(channel, Timer.builder(THROTTLE_WAIT)
                    .description("Time a sender waited for the send rate limit before a group of sends")
                    .tag("channel", tag)
                    .register(registry));
        }
    }

    /** The outcome a recorded row counts as, or null when it was given back without an attempt (not counted). */
    static Outcome outcome(Recorded row) {
        return switch (row.status()) {
            case SENT -> Outcome.SENT;
            case FAILED -> Outcome.FAILED;
            case SKIPPED -> Outcome.SKIPPED;
            case UNKNOWN -> Outcome.UNKNOWN;
            case PENDING -> row.reason() != null ? Outcome.RETRY : null;
            case SENDING -> null;
        };
    }

    /** Counts a batch's recorded rows (call once its transaction has committed). */
    void recorded(Channel channel, List<Recorded> rows) {
        Map<Outcome, Counter> counters = sends.get(channel);
        long[] counts = new long[Outcome.values().length];
        for (Recorded row : rows) {
            Outcome outcome = outcome(row);
            if (outcome != null) {
                counts[outcome.ordinal()]++;
            }
        }
        for (Outcome outcome : Outcome.values()) {
            if (counts[outcome.ordinal()] > 0) {
                counters.get(outcome).increment(counts[outcome.ordinal()]);
            }
        }
    }

    /** Takes permits from the throttle, timing the wait. */
    int acquire(SendThrottle throttle, Channel channel, String campaignId, Integer campaignRate, int wanted)
            throws InterruptedException {
        long start = System.nanoTime();
        try {
            return throttle.acquire(channel, campaignId, campaignRate, wanted);
        } finally {
            throttleWaits.get(channel).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
