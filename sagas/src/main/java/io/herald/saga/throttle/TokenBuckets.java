package io.herald.saga.throttle;

import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;

/**
 * Send-rate token buckets by key: shared by every instance through Redis ({@link RedisTokenBuckets}),
 * or in this process ({@link InMemoryTokenBuckets}).
 *
 * <p>A bucket for {@code perSecond} messages per second holds a tenth of a second's worth of
 * tokens (at least 1) and refills greedily, so a burst after a pause is short: over 30 s a
 * 200/s limit lets through at most 20 messages more than 6,000 (0.3 %).
 */
public interface TokenBuckets {

    /** Takes as many tokens as the bucket has, at most {@code max}; 0 when it is empty. */
    long takeUpTo(String key, long perSecond, long max);

    /** {@code redis} or {@code in-memory}. */
    String kind();

    /** Tokens a bucket for {@code perSecond} holds when full. */
    static long capacity(long perSecond) {
        return Math.max(1, perSecond / 10);
    }

    static BucketConfiguration configuration(long perSecond) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("A send rate must be positive: " + perSecond);
        }
        long capacity = capacity(perSecond);
        Duration refillPeriod = Duration.ofNanos(Math.round(capacity * 1e9 / perSecond));
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, refillPeriod))
                .build();
    }
}
