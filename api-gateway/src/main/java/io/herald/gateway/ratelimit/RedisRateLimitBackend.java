package io.herald.gateway.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.herald.buckets.BucketStoreUnavailable;
import io.herald.buckets.RedisBuckets;
import io.lettuce.core.RedisClient;

/**
 * Rate-limit buckets in Redis ({@link RedisBuckets}): every instance on the same Redis draws from the same
 * buckets. Calls fail fast ({@link BucketStoreUnavailable}) while Redis cannot be reached; the connection
 * reconnects by itself.
 */
public final class RedisRateLimitBackend implements RateLimitBackend, AutoCloseable {

    private final RedisBuckets buckets;

    public RedisRateLimitBackend(RedisClient client) {
        this.buckets = new RedisBuckets(client);
    }

    /** The limit is part of the key, so a changed limit takes effect at once instead of when old buckets expire. */
    private static String redisKey(String key, Limit limit) {
        return "herald:rl:" + key + "|" + limit.capacity() + "/" + limit.period().toSeconds();
    }

    @Override
    public Probe consume(String key, Limit limit, long tokens) {
        BucketConfiguration configuration = Buckets.configuration(limit);
        ConsumptionProbe probe = buckets.apply(redisKey(key, limit), configuration,
                                               bucket -> bucket.tryConsumeAndReturnRemaining(tokens));
        return Buckets.probe(probe, limit);
    }

    @Override
    public Probe peek(String key, Limit limit) {
        BucketConfiguration configuration = Buckets.configuration(limit);
        EstimationProbe estimate = buckets.apply(redisKey(key, limit), configuration,
                                                 bucket -> bucket.estimateAbilityToConsume(1));
        ConsumptionProbe probe = estimate.canBeConsumed()
                ? ConsumptionProbe.consumed(estimate.getRemainingTokens(), 0L)
                : ConsumptionProbe.rejected(estimate.getRemainingTokens(), estimate.getNanosToWaitForRefill(), 0L);
        return Buckets.probe(probe, limit);
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void close() {
        buckets.close();
    }
}
