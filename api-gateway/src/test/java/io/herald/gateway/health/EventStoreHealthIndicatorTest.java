package io.herald.gateway.health;

import io.herald.eventstore.RingBufferEventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;

class EventStoreHealthIndicatorTest {

    @Test
    void showsTheReaderThreadsState_inHealthAndAsAGauge() {
        RingBufferEventStore store = RingBufferEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        EventStoreHealthIndicator indicator = new EventStoreHealthIndicator(store);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        indicator.bindTo(registry);

        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("reader", "NOT_STARTED").containsEntry("readerRestarts", 0);
        assertThat(registry.get("herald.eventstore.reader.state").gauge().value()).isZero();

        store.shutDown();
        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(indicator.health().getDetails()).containsEntry("reader", "STOPPED");
        assertThat(registry.get("herald.eventstore.reader.state").gauge().value()).isEqualTo(4.0);
        assertThat(registry.get("herald.eventstore.reader.restarts").gauge().value()).isZero();
    }
}
