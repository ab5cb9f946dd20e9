package io.herald.gateway.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Token buckets in Redis (Bucket4j on Lettuce, compare-and-swap): every instance on the same Redis
 * draws from the same buckets. Calls fail fast ({@link Unavailable}) while Redis cannot be reached;
 * the connection reconnects by itself.
 */
public final class RedisRateLimitBackend implements RateLimitBackend, AutoCloseable {

    private final RedisClient client;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;

    public RedisRateLimitBackend(RedisClient client) {
        this.client = client;
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

    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (Unavailable e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Unavailable("Redis call failed: " + e.getMessage(), e);
        }
    }

    /** The limit is part of the key, so a changed limit takes effect at once instead of when old buckets expire. */
    private static String redisKey(String key, Limit limit) {
        return "herald:rl:" + key + "|" + limit.capacity() + "/" + limit.period().toSeconds();
    }

    @Override
    public Probe consume(String key, Limit limit, long tokens) {
        BucketConfiguration configuration = Buckets.configuration(limit);
        ConsumptionProbe probe = call(() -> buckets().builder().build(redisKey(key, limit), () -> configuration)
                .tryConsumeAndReturnRemaining(tokens));
        return Buckets.probe(probe, limit);
    }

    @Override
    public Probe peek(String key, Limit limit) {
        BucketConfiguration configuration = Buckets.configuration(limit);
        EstimationProbe estimate = call(() -> buckets().builder().build(redisKey(key, limit), () -> configuration)
                .estimateAbilityToConsume(1));
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
        if (connection != null) {
            connection.close();
        }
    }

    static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
