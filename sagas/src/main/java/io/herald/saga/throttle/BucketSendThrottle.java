package io.herald.saga.throttle;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.herald.api.campaign.Channel;
import io.herald.buckets.BucketStoreUnavailable;
import io.herald.saga.delivery.SendThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The send-rate throttle: a token bucket per channel (rate from {@code herald.delivery.throttle})
 * and one per campaign that sets its own rate, in Redis when {@code herald.redis.url} is set so that
 * the rate holds across all instances, else in this process.
 *
 * <p><b>Where this lives.</b> The API rate limiter keeps its buckets the same way
 * (io.herald.gateway.ratelimit), but the gateway may not be a dependency of the sagas module and the
 * gateway may not depend on {@code io.herald.saga} (ModuleArrowsTest), and there is no shared
 * infrastructure module. So the throttle is here, next to its interface, on Bucket4j directly:
 * {@link RedisTokenBuckets} repeats the ten lines that open the Bucket4j proxy manager, and that is
 * all that is duplicated. The Redis <i>client</i> is not: {@link SendThrottleConfiguration} takes the
 * application's Lettuce {@code RedisClient} bean (made from {@code herald.redis.url} by the rate
 * limit configuration), a library type, so no module arrow is crossed.
 *
 * <p><b>Two buckets.</b> Permits are taken from the more restrictive bucket first, as many as it has
 * (at most {@code wanted}), then at most that many from the other. When the second has fewer, the
 * surplus taken from the first is not lost: it is kept in this instance as credit for that bucket and
 * spent by the next call before Redis is asked again. Credit is real tokens already counted by the
 * shared bucket, so the shared rate is never exceeded; credit not used within 10 s lapses (a few
 * messages sent less, never more).
 *
 * <p><b>Waiting.</b> When a bucket is empty the caller sleeps for about half the time the bucket
 * needs to refill what was asked for (with jitter, so waiting threads and instances do not wake
 * together), always less than it needs to fill up: a full bucket stops refilling, and would lose rate.
 *
 * <p><b>Redis down.</b> Calls fall back to buckets in this process (each instance then allows the
 * full rate), the outage and the recovery are each logged once, and Redis is tried again by one
 * caller at most once a second.
 */
public final class BucketSendThrottle implements SendThrottle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BucketSendThrottle.class);
    private static final long RETRY_SHARED_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final TokenBuckets shared;
    private final TokenBuckets local;
    private final ToLongFunction<Channel> channelRates;
    private final ConcurrentMap<String, Long> credit = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(10))
            .<String, Long>build()
            .asMap();
    private final AtomicBoolean down = new AtomicBoolean(false);
    private final AtomicLong retrySharedAt = new AtomicLong();

    /**
     * @param buckets      where the buckets are: {@link RedisTokenBuckets} or {@link InMemoryTokenBuckets}
     * @param channelRates messages per second per channel, 0 for no limit
     */
    public BucketSendThrottle(TokenBuckets buckets, ToLongFunction<Channel> channelRates) {
        this.shared = buckets;
        this.local = buckets instanceof InMemoryTokenBuckets ? buckets : new InMemoryTokenBuckets();
        this.channelRates = channelRates;
    }

    @Override
    public int acquire(Channel channel, String campaignId, Integer campaignRatePerSecond, int wanted)
            throws InterruptedException {
        if (wanted < 1) {
            throw new IllegalArgumentException("wanted must be at least 1: " + wanted);
        }
        long channelRate = channelRates.applyAsLong(channel);
        boolean campaignLimited = campaignRatePerSecond != null && campaignRatePerSecond > 0 && campaignId != null;
        if (channelRate <= 0 && !campaignLimited) {
            return wanted; // the fast path: no Redis, no allocation
        }
        String channelKey = "channel:" + channel.name().toLowerCase(Locale.ROOT);
        if (!campaignLimited) {
            return acquire(channelKey, channelRate, null, 0, wanted);
        }
        String campaignKey = "campaign:" + campaignId;
        long campaignRate = campaignRatePerSecond;
        if (channelRate <= 0) {
            return acquire(campaignKey, campaignRate, null, 0, wanted);
        }
        return campaignRate <= channelRate
                ? acquire(campaignKey, campaignRate, channelKey, channelRate, wanted)
                : acquire(channelKey, channelRate, campaignKey, campaignRate, wanted);
    }

    /** {@code firstKey} is the more restrictive bucket; {@code secondKey} may be null. */
    private int acquire(String firstKey, long firstRate, String secondKey, long secondRate, int wanted)
            throws InterruptedException {
        while (true) {
            long first = take(firstKey, firstRate, wanted);
            if (first == 0) {
                pause(firstRate, wanted);
                continue;
            }
            if (secondKey == null) {
                return (int) first;
            }
            long second = take(secondKey, secondRate, first);
            if (second < first) {
                addCredit(firstKey, firstRate, first - second);
            }
            if (second > 0) {
                return (int) second;
            }
            pause(secondRate, wanted);
        }
    }

    /** From this instance's credit first, then from the bucket. */
    private long take(String key, long perSecond, long max) {
        long fromCredit = takeCredit(key, perSecond, max);
        if (fromCredit == max) {
            return max;
        }
        return fromCredit + takeFromBucket(key, perSecond, max - fromCredit);
    }

    private long takeFromBucket(String key, long perSecond, long max) {
        if (shared != local && mayAskShared()) {
            try {
                long taken = shared.takeUpTo(key, perSecond, max);
                if (down.compareAndSet(true, false)) {
                    log.info("Send-rate store reachable again; send rates are shared across instances again");
                }
                return taken;
            } catch (BucketStoreUnavailable e) {
                retrySharedAt.set(System.nanoTime() + RETRY_SHARED_NANOS);
                if (down.compareAndSet(false, true)) {
                    log.warn("Send-rate store unreachable ({}); send rates are kept in this instance until it is back",
                             e.getMessage());
                }
            }
        }
        return local.takeUpTo(key, perSecond, max);
    }

    /** While the store is down, one caller a second tries it again; the others go straight to local buckets. */
    private boolean mayAskShared() {
        if (!down.get()) {
            return true;
        }
        long at = retrySharedAt.get();
        long now = System.nanoTime();
        return now - at >= 0 && retrySharedAt.compareAndSet(at, now + RETRY_SHARED_NANOS);
    }

    private long takeCredit(String key, long perSecond, long max) {
        if (credit.isEmpty()) {
            return 0;
        }
        long[] taken = {0};
        credit.computeIfPresent(key + "|" + perSecond, (k, have) -> {
            taken[0] = Math.min(have, max);
            long left = have - taken[0];
            return left == 0 ? null : left;
        });
        return taken[0];
    }

    private void addCredit(String key, long perSecond, long tokens) {
        credit.merge(key + "|" + perSecond, tokens, Long::sum);
    }

    private static void pause(long perSecond, int wanted) throws InterruptedException {
        long tokens = Math.min(wanted, TokenBuckets.capacity(perSecond));
        double nanos = tokens * 1e9 / perSecond / 2 * ThreadLocalRandom.current().nextDouble(0.5, 1.5);
        TimeUnit.NANOSECONDS.sleep(Math.clamp((long) nanos, 100_000L, 1_000_000_000L));
    }

    /** {@code redis} or {@code in-memory}. */
    public String backendKind() {
        return shared.kind();
    }

    @Override
    public void close() throws Exception {
        if (shared instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
