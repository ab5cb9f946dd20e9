package io.herald.gateway.health;

import io.herald.eventstore.RingBufferEventStore;
import io.herald.eventstore.RingBufferEventStore.ReaderState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code eventStore}: the state of the event store's reader
 * thread (the one that fills the ring every processor of this instance reads) and how often it has
 * been replaced. DOWN while it is stalled or restarting (processors then read the database on their
 * own, more slowly). The same state as the gauge {@code herald.eventstore.reader.state} (0 not
 * started, 1 running, 2 stalled, 3 restarting, 4 stopped) and {@code herald.eventstore.reader.restarts}.
 */
@Component("eventStore")
class EventStoreHealthIndicator extends AbstractHealthIndicator implements MeterBinder {

    private final RingBufferEventStore eventStore;

    EventStoreHealthIndicator(RingBufferEventStore eventStore) {
        super("Event store health check failed");
        this.eventStore = eventStore;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ReaderState state = eventStore.readerState();
        boolean healthy = state == ReaderState.RUNNING || state == ReaderState.NOT_STARTED;
        builder.status(healthy ? "UP" : "DOWN")
                .withDetail("reader", state.name())
                .withDetail("readerRestarts", eventStore.readerRestarts());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("herald.eventstore.reader.state", eventStore, s -> s.readerState().ordinal())
                .description("The event store's reader thread: 0 not started, 1 running, 2 stalled, 3 restarting, 4 stopped")
                .register(registry);
        Gauge.builder("herald.eventstore.reader.restarts", eventStore, RingBufferEventStore::readerRestarts)
                .description("How often the event store's reader thread has been replaced")
                .register(registry);
    }
}
