package io.herald.buckets;

import io.github.bucket4j.BucketConfiguration;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a real Redis: {@code HERALD_TEST_REDIS_URL}, else an embedded server started here. */
class RedisBucketsTest {

    private static RedisServer embedded;
    private static RedisClient client;

    @BeforeAll
    static void redis() throws IOException {
        String url = System.getenv("HERALD_TEST_REDIS_URL");
        if (url == null || url.isBlank()) {
            int port = freePort();
            embedded = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            embedded.start();
            url = "redis://127.0.0.1:" + port;
        }
        client = RedisClient.create(url);
    }

    @AfterAll
    static void stop() throws IOException {
        client.shutdown();
        if (embedded != null) {
            embedded.stop();
        }
    }

    private static BucketConfiguration tokens(long capacity) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, Duration.ofHours(1)))
                .build();
    }

    @Test
    void twoInstancesOnOneRedis_drawFromTheSameBucket() {
        String key = "test:buckets:" + UUID.randomUUID();
        try (RedisBuckets first = new RedisBuckets(client); RedisBuckets second = new RedisBuckets(client)) {
            long firstTook = first.apply(key, tokens(10), bucket -> bucket.tryConsumeAsMuchAsPossible(7));
            long secondTook = second.apply(key, tokens(10), bucket -> bucket.tryConsumeAsMuchAsPossible(7));
            boolean more = first.apply(key, tokens(10), bucket -> bucket.tryConsume(1));
            assertThat(firstTook).isEqualTo(7);
            assertThat(secondTook).isEqualTo(3);
            assertThat(more).isFalse();
        }
    }

    @Test
    void anExistingBucketKeepsItsConfiguration_soCallersPutTheLimitIntoTheKey() {
        String key = "test:buckets:" + UUID.randomUUID();
        try (RedisBuckets buckets = new RedisBuckets(client)) {
            long small = buckets.apply(key, tokens(2), bucket -> bucket.tryConsumeAsMuchAsPossible(100));
            long sameKeyLargerLimit = buckets.apply(key, tokens(50), bucket -> bucket.tryConsumeAsMuchAsPossible(100));
            long limitInTheKey = buckets.apply(key + "|50", tokens(50), bucket -> bucket.tryConsumeAsMuchAsPossible(100));
            assertThat(small).isEqualTo(2);
            assertThat(sameKeyLargerLimit).isZero();
            assertThat(limitInTheKey).isEqualTo(50);
        }
    }

    @Test
    void redisOutOfReach_failsFastWithBucketStoreUnavailable() throws IOException {
        RedisClient nowhere = RedisClient.create("redis://127.0.0.1:" + freePort());
        nowhere.setDefaultTimeout(Duration.ofSeconds(2));
        try (RedisBuckets buckets = new RedisBuckets(nowhere)) {
            assertThatThrownBy(() -> buckets.apply("test:buckets:x", tokens(1), bucket -> bucket.tryConsume(1)))
                    .isInstanceOf(BucketStoreUnavailable.class)
                    .hasMessageContaining("Redis is not reachable");
        } finally {
            nowhere.shutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
