package io.herald.saga.throttle;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import java.time.Duration;

/**
 * Buckets in Redis (Bucket4j on Lettuce, compare-and-swap), the same way the API rate limiter keeps
 * its buckets (io.herald.gateway.ratelimit.RedisRateLimitBackend): every instance on the same Redis
 * takes from the same bucket. The connection is opened on first use and reconnects by itself; while
 * Redis cannot be reached, calls fail fast with {@link Unavailable}.
 */
public final class RedisTokenBuckets implements TokenBuckets, AutoCloseable {

    private final RedisClient client;
    private final String prefix;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;

    public RedisTokenBuckets(RedisClient client) {
        this(client, "herald:throttle:");
    }

    /** With keys under {@code prefix} (tests and benchmarks that share a Redis keep apart this way). */
    public RedisTokenBuckets(RedisClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
    }

    private ProxyManager<String> buckets() {
        ProxyManager<String> current = buckets;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (buckets == null) {
                try {
                    connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                } catch (RuntimeException e) {
                    throw new Unavailable("Redis is not reachable", e);
                }
                buckets = Bucket4jLettuce.casBasedBuilder(connection)
                        .expirationAfterWrite(ExpirationAfterWriteStrategy
                                                      .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(30)))
                        .build();
            }
            return buckets;
        }
    }

    @Override
    public long takeUpTo(String key, long perSecond, long max) {
        BucketConfiguration configuration = TokenBuckets.configuration(perSecond);
        ProxyManager<String> proxies = buckets();
        try {
            // the rate is part of the key: a changed limit takes effect at once
            return proxies.builder().build(prefix + key + "|" + perSecond, () -> configuration)
                    .tryConsumeAsMuchAsPossible(max);
        } catch (RuntimeException e) {
            throw new Unavailable("Redis call failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
