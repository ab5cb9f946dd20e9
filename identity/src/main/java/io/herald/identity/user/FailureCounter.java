package io.herald.identity.user;

import java.time.Duration;

/**
 * Where {@link LoginThrottle} counts failed sign-ins: one token bucket per key, in a store the
 * instances share. The application provides it (its rate-limit store); while that store is
 * unreachable the counts must still hold, in the instance itself.
 */
public interface FailureCounter {

    /** {@code maxFailures} per {@code window}, refilled smoothly. */
    record Limit(long maxFailures, Duration window) {
    }

    /**
     * A bucket's state.
     *
     * @param allowed           whether another attempt may go on
     * @param remaining         failures left before attempts are refused
     * @param retryAfterSeconds when refused: seconds until an attempt is allowed again
     */
    record Count(boolean allowed, long remaining, long retryAfterSeconds) {
    }

    /** The bucket under {@code key}, without counting anything. */
    Count peek(String key, Limit limit);

    /** Counts one failure under {@code key}; answers the state after it. */
    Count add(String key, Limit limit);
}
