package io.herald.gateway.ratelimit;

import java.time.Duration;

/** {@code capacity} requests per {@code period}, refilled smoothly. */
public record Limit(long capacity, Duration period) {

    public Limit {
        if (capacity <= 0 || period == null || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("A limit needs a positive capacity and period");
        }
    }
}
