package io.herald.saga.throttle;

import io.herald.api.campaign.Channel;
import io.herald.buckets.BucketStoreUnavailable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BucketSendThrottleTest {

    private static ToLongFunction<Channel> rates(long email) {
        return channel -> channel == Channel.EMAIL ? email : 0;
    }

    /** Permits taken by {@code threads} threads calling acquire(wanted 10) for {@code millis}. */
    private static long drive(BucketSendThrottle throttle, Integer campaignRate, int threads, long millis)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long end = System.nanoTime() + millis * 1_000_000;
            List<Future<Long>> counts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                counts.add(pool.submit(() -> {
                    long taken = 0;
                    while (System.nanoTime() < end) {
                        int got = throttle.acquire(Channel.EMAIL, "c1", campaignRate, 10);
                        assertThat(got).isBetween(1, 10);
                        // only what was granted within the window: an acquire that began just before its
                        // end may wait for tokens refilled after it (CI once counted 47 of at most 46 so)
                        if (System.nanoTime() <= end) {
                            taken += got;
                        }
                    }
                    return taken;
                }));
            }
            long sum = 0;
            for (Future<Long> count : counts) {
                sum += count.get();
            }
            return sum;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void noLimit_returnsWantedWithoutTouchingTheBuckets() throws Exception {
        TokenBuckets untouchable = new TokenBuckets() {
            @Override
            public long takeUpTo(String key, long perSecond, long max) {
                throw new AssertionError("asked the buckets");
            }

            @Override
            public String kind() {
                return "none";
            }
        };
        BucketSendThrottle throttle = new BucketSendThrottle(untouchable, channel -> 0);

        assertThat(throttle.acquire(Channel.EMAIL, "c1", null, 50)).isEqualTo(50);
        assertThat(throttle.acquire(Channel.SMS, "c1", 0, 7)).isEqualTo(7);
    }

    @Test
    void channelLimit_holdsTheRate() throws Exception {
        BucketSendThrottle throttle = new BucketSendThrottle(new InMemoryTokenBuckets(), rates(100));

        long taken = drive(throttle, null, 4, 2_000);

        // 200 in 2 s, plus the 10 a full bucket holds at the start; loose bounds for a busy machine
        assertThat(taken).isBetween(170L, 230L);
    }

    @Test
    void campaignLimit_appliesOnTopOfTheChannelLimit() throws Exception {
        BucketSendThrottle throttle = new BucketSendThrottle(new InMemoryTokenBuckets(), rates(1_000));

        long taken = drive(throttle, 20, 4, 2_000);

        assertThat(taken).isBetween(30L, 46L);
    }

    @Test
    void channelLimit_appliesWhenTheCampaignAllowsMore() throws Exception {
        BucketSendThrottle throttle = new BucketSendThrottle(new InMemoryTokenBuckets(), rates(20));

        long taken = drive(throttle, 1_000, 4, 2_000);

        assertThat(taken).isBetween(30L, 46L);
    }

    @Test
    void campaignLimitAlone_whenTheChannelHasNone() throws Exception {
        BucketSendThrottle throttle = new BucketSendThrottle(new InMemoryTokenBuckets(), channel -> 0);

        long taken = drive(throttle, 20, 2, 2_000);

        assertThat(taken).isBetween(30L, 46L);
    }

    @Test
    void secondBucketShort_keepsTheFirstBucketsSurplusAsCredit() throws Exception {
        ScriptedBuckets buckets = new ScriptedBuckets(Map.of("campaign:c1", 10L, "channel:email", 3L));
        BucketSendThrottle throttle = new BucketSendThrottle(buckets, rates(500));

        // campaign (50/s) is the more restrictive: 10 from it, only 3 from the channel
        assertThat(throttle.acquire(Channel.EMAIL, "c1", 50, 10)).isEqualTo(3);
        assertThat(buckets.asked("campaign:c1")).isEqualTo(1);

        // the 7 campaign tokens left over are spent first: the campaign bucket is not asked again
        buckets.refill("channel:email", 5);
        assertThat(throttle.acquire(Channel.EMAIL, "c1", 50, 5)).isEqualTo(5);
        assertThat(buckets.asked("campaign:c1")).isEqualTo(1);

        // 2 left in credit, then the bucket for the rest
        buckets.refill("campaign:c1", 10);
        buckets.refill("channel:email", 10);
        assertThat(throttle.acquire(Channel.EMAIL, "c1", 50, 10)).isEqualTo(10);
        assertThat(buckets.lastMax("campaign:c1")).isEqualTo(8);
    }

    @Test
    void storeDown_fallsBackToThisInstance() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        TokenBuckets down = new TokenBuckets() {
            @Override
            public long takeUpTo(String key, long perSecond, long max) {
                calls.incrementAndGet();
                throw new BucketStoreUnavailable("down", new RuntimeException("refused"));
            }

            @Override
            public String kind() {
                return "redis";
            }
        };
        BucketSendThrottle throttle = new BucketSendThrottle(down, rates(100));

        long taken = drive(throttle, null, 2, 1_000);

        assertThat(taken).isBetween(80L, 125L);
        // tried (by each thread that got there before the outage was noted), then at most once a second
        assertThat(calls.get()).isBetween(1, 4);
    }

    @Test
    void wantedBelowOne_isRefused() {
        BucketSendThrottle throttle = new BucketSendThrottle(new InMemoryTokenBuckets(), rates(100));

        assertThatThrownBy(() -> throttle.acquire(Channel.EMAIL, "c1", null, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void properties_defaultToNoLimitAndEightEightThirtyTwo() {
        DeliveryThrottleProperties defaults = DeliveryThrottleProperties.defaults();

        assertThat(defaults.perSecond(Channel.EMAIL)).isZero();
        assertThat(defaults.concurrency(Channel.EMAIL)).isEqualTo(8);
        assertThat(defaults.concurrency(Channel.SMS)).isEqualTo(8);
        assertThat(defaults.concurrency(Channel.WEBHOOK)).isEqualTo(32);
        DeliveryThrottleProperties set = new DeliveryThrottleProperties(
                200L, 0L, null, new DeliveryThrottleProperties.Concurrency(4, null, null));
        assertThat(set.perSecond(Channel.EMAIL)).isEqualTo(200);
        assertThat(set.perSecond(Channel.WEBHOOK)).isZero();
        assertThat(set.concurrency(Channel.EMAIL)).isEqualTo(4);
        assertThatThrownBy(() -> new DeliveryThrottleProperties(-1L, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Buckets that hold exactly what the test puts in, and never refill by themselves. */
    private static final class ScriptedBuckets implements TokenBuckets {
        private final Map<String, long[]> tokens = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> asked = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Long> lastMax = new java.util.concurrent.ConcurrentHashMap<>();

        ScriptedBuckets(Map<String, Long> initial) {
            initial.forEach(this::refill);
        }

        void refill(String key, long count) {
            tokens.computeIfAbsent(key, k -> new long[1])[0] += count;
        }

        int asked(String key) {
            return asked.getOrDefault(key, new AtomicInteger()).get();
        }

        long lastMax(String key) {
            return lastMax.get(key);
        }

        @Override
        public synchronized long takeUpTo(String key, long perSecond, long max) {
            asked.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            lastMax.put(key, max);
            long[] have = tokens.computeIfAbsent(key, k -> new long[1]);
            long taken = Math.min(have[0], max);
            have[0] -= taken;
            return taken;
        }

        @Override
        public String kind() {
            return "scripted";
        }
    }
}
