package io.herald.saga.throttle;

import io.herald.buckets.BucketStoreUnavailable;
import io.herald.buckets.RedisBuckets;
import io.lettuce.core.RedisClient;

/**
 * Send-rate buckets in Redis ({@link RedisBuckets}, where the API rate limiter keeps its buckets too): every
 * instance on the same Redis takes from the same bucket. The connection is opened on first use and
 * reconnects by itself; while Redis cannot be reached, calls fail fast with {@link BucketStoreUnavailable}.
 */
public final class RedisTokenBuckets implements TokenBuckets, AutoCloseable {

    private final RedisBuckets buckets;
    private final String prefix;

    public RedisTokenBuckets(RedisClient client) {
        this(client, "herald:throttle:");
    }

    /** With keys under {@code prefix} (tests and benchmarks that share a Redis keep apart this way). */
    public RedisTokenBuckets(RedisClient client, String prefix) {
        this.buckets = new RedisBuckets(client);
        this.prefix = prefix;
    }

    @Override
    public long takeUpTo(String key, long perSecond, long max) {
        // the rate is part of the key: a changed limit takes effect at once
        return buckets.apply(prefix + key + "|" + perSecond, TokenBuckets.configuration(perSecond),
                             bucket -> bucket.tryConsumeAsMuchAsPossible(max));
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
