package io.herald.eventstore.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A value read from the database for gauges, at most once per {@code maxAge} however often it is scraped
 * (several gauges share one query, and a scrape every second costs one query per interval). A failed read
 * keeps the last value (NaN before the first one) and is logged once until a read succeeds again.
 */
public final class Refreshing<T> {

    private static final Logger log = LoggerFactory.getLogger(Refreshing.class);

    private final String name;
    private final Supplier<T> loader;
    private final Duration maxAge;
    private final Clock clock;
    private T value;
    private Instant readAt;
    private boolean failing;

    public Refreshing(String name, Supplier<T> loader, Duration maxAge, Clock clock) {
        this.name = name;
        this.loader = loader;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The value, read again when older than the maximum age; null when it could never be read. */
    public synchronized T get() {
        Instant now = clock.instant();
        if (readAt == null || !now.isBefore(readAt.plus(maxAge))) {
            readAt = now; // a failing read is not retried before the interval is over either
            try {
                value = loader.get();
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("Metrics: could not read {} ({}); keeping the last value", name, e.toString());
                }
                failing = true;
            }
        }
        return value;
    }

    /** A number of the value for a gauge: NaN while there is none. */
    public double number(java.util.function.ToDoubleFunction<T> of) {
        T current = get();
        return current == null ? Double.NaN : of.applyAsDouble(current);
    }
}
