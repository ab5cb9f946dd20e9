package io.herald.saga.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;

import java.time.Duration;

/** Buckets in this process only: when no Redis is configured, and as the stand-in while it is down. */
public final class InMemoryTokenBuckets implements TokenBuckets {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    @Override
    public long takeUpTo(String key, long perSecond, long max) {
        Bucket bucket = buckets.get(key + "|" + perSecond, k -> Bucket.builder()
                .withNanosecondPrecision()
                .addLimit(TokenBuckets.configuration(perSecond).getBandwidths()[0])
                .build());
        return bucket.tryConsumeAsMuchAsPossible(max);
    }

    @Override
    public String kind() {
        return "in-memory";
    }
}
