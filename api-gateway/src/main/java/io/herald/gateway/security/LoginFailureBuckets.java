package io.herald.gateway.security;

import io.herald.gateway.ratelimit.Probe;
import io.herald.gateway.ratelimit.RateLimiter;
import io.herald.identity.user.FailureCounter;
import org.springframework.stereotype.Component;

/**
 * The identity module's login-failure counts, kept in the rate-limit store (Redis when configured,
 * so every instance sees them); while Redis is unreachable, in this instance.
 */
@Component
class LoginFailureBuckets implements FailureCounter {

    private final RateLimiter limiter;

    LoginFailureBuckets(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Count peek(String key, Limit limit) {
        return count(limiter.peekOrLocal(key, bucket(limit)));
    }

    @Override
    public Count add(String key, Limit limit) {
        return count(limiter.consumeOrLocal(key, bucket(limit)));
    }

    /** The rate limiter's own {@code Limit} (qualified: the inherited {@link FailureCounter.Limit} hides an import). */
    private static io.herald.gateway.ratelimit.Limit bucket(Limit limit) {
        return new io.herald.gateway.ratelimit.Limit(limit.maxFailures(), limit.window());
    }

    private static Count count(Probe probe) {
        return new Count(probe.allowed(), probe.remaining(), probe.retryAfterSeconds());
    }
}
