package io.herald.eventstore;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LateAppendStorageEngineTest {

    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine() {
        @Override
        public void appendEvents(List<? extends EventMessage<?>> events) {
            events.forEach(e -> writes.add("event " + e.getPayload()));
            super.appendEvents(events);
        }
    };
    private final RingBufferEventStore store = RingBufferEventStore.builder()
            .storageEngine(new LateAppendStorageEngine(storage)).build();

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    /** A subscribing projection writing its rows in the command's transaction, as tracked-events does. */
    private void subscribeProjection() {
        store.subscribe(events -> events.forEach(e -> writes.add("row " + e.getPayload())));
    }

    @Test
    void inAUnitOfWork_theEventsAreInsertedAfterTheSubscribingProcessorsWrites() {
        subscribeProjection();
        DefaultUnitOfWork.startAndGet(null).execute(() -> {
            CurrentUnitOfWork.get().onPrepareCommit(u -> writes.add("claim"));
            store.publish(GenericEventMessage.asEventMessage("a"), GenericEventMessage.asEventMessage("b"));
        });

        assertThat(writes).containsExactly("claim", "row a", "row b", "event a", "event b");
        assertThat(storage.readEvents(null, false).map(e -> e.getPayload().toString()).toList())
                .containsExactly("a", "b");
    }

    @Test
    void eventsPublishedWhileCommitting_areInsertedToo() {
        store.subscribe(events -> events.forEach(e -> {
            writes.add("row " + e.getPayload());
            if (e.getPayload().equals("a")) {
                store.publish(GenericEventMessage.asEventMessage("a-follow-up"));
            }
        }));
        DefaultUnitOfWork.startAndGet(null).execute(() -> store.publish(GenericEventMessage.asEventMessage("a")));

        assertThat(storage.readEvents(null, false).map(e -> e.getPayload().toString()).toList())
                .containsExactly("a", "a-follow-up");
        assertThat(writes).endsWith("event a", "event a-follow-up");
    }

    @Test
    void whenAWriteBeforeTheInsertFails_nothingIsInserted() {
        store.subscribe(events -> {
            throw new IllegalStateException("read model refused the row");
        });

        assertThatThrownBy(() -> DefaultUnitOfWork.startAndGet(null).execute(
                () -> store.publish(GenericEventMessage.asEventMessage("a"))))
                .hasMessageContaining("read model refused the row");
        assertThat(writes).isEmpty();
        assertThat(storage.readEvents(null, false).count()).isZero();
    }

    @Test
    void withoutAUnitOfWork_theEventsAreInsertedAtOnce() {
        subscribeProjection();
        store.publish(GenericEventMessage.asEventMessage("a"));

        assertThat(writes).containsExactly("event a", "row a");
    }
}
