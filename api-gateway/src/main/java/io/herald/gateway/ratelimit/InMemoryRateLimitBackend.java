package io.herald.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;

import java.time.Duration;

/** Buckets in this process only: used when no Redis is configured (one instance), and as a stand-in when it is down. */
public final class InMemoryRateLimitBackend implements RateLimitBackend {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    private Bucket bucket(String key, Limit limit) {
        return buckets.get(key + "|" + limit.capacity() + "/" + limit.period(),
                           k -> Bucket.builder().addLimit(bandwidth -> bandwidth.capacity(limit.capacity())
                                   .refillGreedy(limit.capacity(), limit.period())).build());
    }

    @Override
    public Probe consume(String key, Limit limit, long tokens) {
        return Buckets.probe(bucket(key, limit).tryConsumeAndReturnRemaining(tokens), limit);
    }

    @Override
    public Probe peek(String key, Limit limit) {
        Bucket bucket = bucket(key, limit);
        long available = bucket.getAvailableTokens();
        return Buckets.probe(bucket.estimateAbilityToConsume(1).canBeConsumed()
                                     ? io.github.bucket4j.ConsumptionProbe.consumed(available, 0L)
                                     : io.github.bucket4j.ConsumptionProbe.rejected(available,
                                        bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill(), 0L), limit);
    }

    @Override
    public String kind() {
        return "in-memory";
    }
}
