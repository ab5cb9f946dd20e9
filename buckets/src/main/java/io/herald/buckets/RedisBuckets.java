package io.herald.buckets;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import java.time.Duration;
import java.util.function.Function;

/**
 * Token buckets in Redis (Bucket4j on Lettuce, compare-and-swap): every instance on the same Redis draws
 * from the same bucket of a key. The connection is opened on first use and reconnects by itself; while Redis
 * cannot be reached, calls fail fast with {@link BucketStoreUnavailable}, so a caller can fall back to
 * buckets of its own process. A bucket's key expires once it would have refilled to full (at least 30 s
 * after its last write), so Redis keeps only buckets in use.
 */
public final class RedisBuckets implements AutoCloseable {

    private static final Duration KEEP_FULL_BUCKETS = Duration.ofSeconds(30);

    private final RedisClient client;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;

    public RedisBuckets(RedisClient client) {
        this.client = client;
    }

    /**
     * Runs {@code call} on the bucket under {@code key}, created with {@code configuration} if Redis has none.
     * A configuration is read only when the bucket is made: callers put what changes it (a limit) into the key,
     * so a changed limit takes effect at once instead of when the old bucket expires.
     *
     * @throws BucketStoreUnavailable when Redis cannot be reached or the call fails
     */
    public <T> T apply(String key, BucketConfiguration configuration, Function<BucketProxy, T> call) {
        ProxyManager<String> proxies = buckets();
        try {
            return call.apply(proxies.builder().build(key, () -> configuration));
        } catch (BucketStoreUnavailable e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BucketStoreUnavailable("Redis call failed: " + e.getMessage(), e);
        }
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
                    throw new BucketStoreUnavailable("Redis is not reachable", e);
                }
                buckets = Bucket4jLettuce.casBasedBuilder(connection)
                        .expirationAfterWrite(ExpirationAfterWriteStrategy
                                                      .basedOnTimeForRefillingBucketUpToMax(KEEP_FULL_BUCKETS))
                        .build();
            }
            return buckets;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
