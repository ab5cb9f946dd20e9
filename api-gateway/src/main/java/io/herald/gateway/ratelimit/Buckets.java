package io.herald.gateway.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

import java.util.concurrent.TimeUnit;

/** Bucket4j helpers shared by the backends. */
final class Buckets {

    private Buckets() {
    }

    static BucketConfiguration configuration(Limit limit) {
        return BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                .build();
    }

    static Probe probe(ConsumptionProbe probe, Limit limit) {
        long missing = limit.capacity() - probe.getRemainingTokens();
        long secondsToRefill = (long) Math.ceil(missing * (double) limit.period().toNanos() / limit.capacity() / 1e9);
        long retryAfter = probe.isConsumed() ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
        return new Probe(probe.isConsumed(), probe.getRemainingTokens(), secondsToRefill, retryAfter);
    }
}
