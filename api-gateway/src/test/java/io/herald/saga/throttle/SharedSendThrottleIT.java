package io.herald.saga.throttle;

import io.herald.api.campaign.Channel;
import io.herald.gateway.support.TestRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send throttle on a real Redis: two throttles on two Redis clients (two instances) share one
 * limit, and a campaign's own rate applies on top of the channel's. No Spring context: the throttle
 * lives in the sagas module, this test here because the test Redis ({@link TestRedis}) does.
 */
class SharedSendThrottleIT {

    /** Keys of this run only: a Redis shared by several test runs must not mix their buckets. */
    private final String prefix = "herald-test:throttle:" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private BucketSendThrottle instance(String url, long emailPerSecond) {
        RedisClient client = RedisClient.create(RedisURI.create(url));
        client.setOptions(ClientOptions.builder()
                                  .autoReconnect(true)
                                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                  .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofMillis(250)).build())
                                  .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(250)))
                                  .build());
        opened.add(client::shutdown);
        BucketSendThrottle throttle = new BucketSendThrottle(new RedisTokenBuckets(client, prefix),
                                                             channel -> channel == Channel.EMAIL ? emailPerSecond : 0);
        opened.addFirst(throttle);
        return throttle;
    }

    /** Permits each throttle took with two threads of its own calling acquire(wanted 10) for {@code millis}. */
    private static long[] drive(List<BucketSendThrottle> throttles, String campaignId, Integer campaignRate,
                                long millis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(throttles.size() * 2);
        try {
            long end = System.nanoTime() + millis * 1_000_000;
            List<List<Future<Long>>> counts = new ArrayList<>();
            for (BucketSendThrottle throttle : throttles) {
                List<Future<Long>> mine = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    mine.add(pool.submit(() -> {
                        long taken = 0;
                        while (System.nanoTime() < end) {
                            int got = throttle.acquire(Channel.EMAIL, campaignId, campaignRate, 10);
                            assertThat(got).isBetween(1, 10);
                            taken += got;
                        }
                        return taken;
                    }));
                }
                counts.add(mine);
            }
            long[] result = new long[throttles.size()];
            for (int i = 0; i < result.length; i++) {
                for (Future<Long> count : counts.get(i)) {
                    result[i] += count.get();
                }
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoInstances_shareOneChannelLimit() throws Exception {
        String redis = TestRedis.url();
        BucketSendThrottle first = instance(redis, 50);
        BucketSendThrottle second = instance(redis, 50);

        long[] taken = drive(List.of(first, second), "campaign-" + UUID.randomUUID(), null, 4_000);

        // 50/s over 4 s is 200 for both together (plus the 5 a full bucket holds), not 200 each
        assertThat(taken[0] + taken[1]).isBetween(150L, 260L);
        assertThat(taken[0]).isPositive();
        assertThat(taken[1]).isPositive();
        assertThat(first.backendKind()).isEqualTo("redis");
    }

    @Test
    void campaignLimit_appliesInAdditionToTheChannelLimit() throws Exception {
        String redis = TestRedis.url();
        BucketSendThrottle first = instance(redis, 200);
        BucketSendThrottle second = instance(redis, 200);
        String campaign = "campaign-" + UUID.randomUUID();

        long[] limited = drive(List.of(first, second), campaign, 20, 3_000);

        // the campaign's 20/s over 3 s (60, plus 2 in a full bucket) for both instances together
        assertThat(limited[0] + limited[1]).isBetween(40L, 85L);

        // a campaign rate above the channel's: the channel's 200/s is what holds
        long[] channelBound = drive(List.of(first, second), "campaign-" + UUID.randomUUID(), 10_000, 2_000);
        assertThat(channelBound[0] + channelBound[1]).isBetween(300L, 470L);
    }

    @Test
    void whenRedisGoesDown_sendsGoOnUnderALimitPerInstance() throws Exception {
        TestRedis.PrivateRedis redis = TestRedis.startPrivate();
        try {
            BucketSendThrottle throttle = instance(redis.url(), 50);
            assertThat(drive(List.of(throttle), "campaign-" + UUID.randomUUID(), null, 1_000)[0])
                    .isBetween(30L, 70L);

            redis.stop();
            long down = drive(List.of(throttle), "campaign-" + UUID.randomUUID(), null, 2_000)[0];
            assertThat(down).isBetween(60L, 130L);

            redis.start();
            Thread.sleep(1_500); // reconnect, and the once-a-second retry
            long back = drive(List.of(throttle), "campaign-" + UUID.randomUUID(), null, 2_000)[0];
            assertThat(back).isBetween(60L, 130L);
        } finally {
            redis.stop();
        }
    }
}
