package io.herald.gateway.ratelimit;

import io.herald.buckets.BucketStoreUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks the configured backend (Redis when configured, else this process) and keeps the API
 * serving when Redis goes away: reads pass, writes follow {@link RateLimitProperties.FailurePolicy}.
 * The outage and the recovery are each logged once.
 */
public class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    private final RateLimitBackend primary;
    private final RateLimitBackend local;
    private final RateLimitProperties.FailurePolicy writesWhenDown;
    private final AtomicBoolean down = new AtomicBoolean(false);

    public RateLimiter(RateLimitBackend primary, RateLimitProperties.FailurePolicy writesWhenDown) {
        this.primary = primary;
        this.local = primary instanceof InMemoryRateLimitBackend ? primary : new InMemoryRateLimitBackend();
        this.writesWhenDown = writesWhenDown;
    }

    /** Result of a check; {@code probe} is null when nothing was limited (backend down, fail open). */
    public record Decision(boolean allowed, Probe probe, boolean unavailable) {
    }

    public Decision consume(String key, Limit limit, boolean write) {
        try {
            Probe probe = primary.consume(key, limit, 1);
            recovered();
            return new Decision(probe.allowed(), probe, false);
        } catch (BucketStoreUnavailable e) {
            wentDown(e);
            if (!write) {
                return new Decision(true, null, false);
            }
            return switch (writesWhenDown) {
                case ALLOW -> new Decision(true, null, false);
                case LOCAL -> {
                    Probe probe = local.consume(key, limit, 1);
                    yield new Decision(probe.allowed(), probe, false);
                }
                case DENY -> new Decision(false, null, true);
            };
        }
    }

    /** For counters that must hold even without Redis (login failures): falls back to this process. */
    public Probe consumeOrLocal(String key, Limit limit) {
        try {
            Probe probe = primary.consume(key, limit, 1);
            recovered();
            return probe;
        } catch (BucketStoreUnavailable e) {
            wentDown(e);
            return local.consume(key, limit, 1);
        }
    }

    public Probe peekOrLocal(String key, Limit limit) {
        try {
            Probe probe = primary.peek(key, limit);
            recovered();
            return probe;
        } catch (BucketStoreUnavailable e) {
            wentDown(e);
            return local.peek(key, limit);
        }
    }

    public String backendKind() {
        return primary.kind();
    }

    public boolean isBackendDown() {
        return down.get();
    }

    private void wentDown(RuntimeException e) {
        if (down.compareAndSet(false, true)) {
            log.warn("Rate-limit store unreachable ({}); reads pass unlimited, writes: {}. Will recover by itself.",
                     e.getMessage(), writesWhenDown);
        }
    }

    private void recovered() {
        if (down.compareAndSet(true, false)) {
            log.info("Rate-limit store reachable again; shared limits are back");
        }
    }
}
