package io.herald.eventstore;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code herald.event-store.*}: the event store's settings (README, "Configuration"). Values that
 * cannot work are refused at start-up, naming the setting, instead of making a store that spins or
 * never looks for other instances' events.
 *
 * @param engine         {@code jdbc} (default) or {@code jpa} (the benchmark harness only)
 * @param fetchDelay     how often idle processors look for events written by other instances (&gt; 0)
 * @param cachedEvents   recent events kept in memory for the processors that keep up (at least
 *                       {@link #MIN_CACHED_EVENTS}: a ring of a few slots is lapped by every commit)
 * @param fetchBatchSize events a processor behind the cache reads per query (at least 1)
 */
@ConfigurationProperties("herald.event-store")
public record EventStoreProperties(String engine, Duration fetchDelay, Integer cachedEvents, Integer fetchBatchSize) {

    public static final int MIN_CACHED_EVENTS = 16;

    public EventStoreProperties {
        engine = engine == null || engine.isBlank() ? "jdbc" : engine;
        fetchDelay = fetchDelay == null ? Duration.ofMillis(250) : fetchDelay;
        cachedEvents = cachedEvents == null ? 1000 : cachedEvents;
        fetchBatchSize = fetchBatchSize == null ? 1000 : fetchBatchSize;
        if (!engine.equals("jdbc") && !engine.equals("jpa")) {
            throw new IllegalArgumentException("herald.event-store.engine must be jdbc or jpa, not " + engine);
        }
        if (fetchDelay.isNegative() || fetchDelay.isZero()) {
            throw new IllegalArgumentException("herald.event-store.fetch-delay must be longer than 0 (it is "
                                                       + fetchDelay + "): a store that never waits spins");
        }
        if (cachedEvents < MIN_CACHED_EVENTS) {
            throw new IllegalArgumentException("herald.event-store.cached-events must be at least " + MIN_CACHED_EVENTS
                                                       + " (it is " + cachedEvents + ")");
        }
        if (fetchBatchSize < 1) {
            throw new IllegalArgumentException("herald.event-store.fetch-batch-size must be at least 1 (it is "
                                                       + fetchBatchSize + ")");
        }
    }
}
