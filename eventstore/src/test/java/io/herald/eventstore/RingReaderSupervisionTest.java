package io.herald.eventstore;

import io.herald.eventstore.support.IntegerEvents;
import io.herald.eventstore.support.Outcome;
import io.herald.eventstore.RingBufferEventStore.ReaderState;
import io.herald.eventstore.support.ObservedReaderEngine;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.herald.eventstore.support.IntegerEvents.read;
import static org.assertj.core.api.Assertions.assertThat;

/** The ring's reader thread dies or hangs: streams go on, and {@link RingBufferEventStore#readerState()} says so. */
class RingReaderSupervisionTest {

    private final ObservedReaderEngine storage = new ObservedReaderEngine();
    private final RingBufferEventStore store = RingBufferEventStore.builder().storageEngine(storage)
            .cachedEvents(8).fetchDelay(Duration.ofMillis(20)).stallTimeout(Duration.ofMillis(300)).build();

    @AfterEach
    void shutDown() {
        storage.release();
        store.shutDown();
    }

    private void publish(int from, int count) {
        IntegerEvents.publish(store, from, count);
    }

    private static void awaitState(RingBufferEventStore store, ReaderState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (store.readerState() != state && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.readerState()).isEqualTo(state);
    }

    @Test
    void aReaderThreadThatDies_isReplaced_andTheStreamsOnTheRingGoOn() throws Exception {
        storage.onReaderRead(() -> {
            if (storage.readerReads() == 1) {
                throw new OutOfMemoryError("the reader thread's first read dies");
            }
        });
        assertThat(store.readerState()).isEqualTo(ReaderState.NOT_STARTED);
        publish(0, 3);
        TrackingEventStream stream = store.openStream(null);
        assertThat(read(stream, 3)).containsExactly(0, 1, 2);
        assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse(); // joins the ring, starts the reader

        publish(3, 3);
        assertThat(read(stream, 3)).containsExactly(3, 4, 5);
        assertThat(store.readerRestarts()).isEqualTo(1);
        awaitState(store, ReaderState.RUNNING);
        stream.close();
    }

    @Test
    void aReaderThreadThatHangs_countsAsStalled_andTheStreamsReadOnTheirOwnUntilItMovesAgain() throws Exception {
        storage.onReaderRead(() -> {
            if (storage.readerReads() == 2) { // its second look hangs
                storage.hang();
            }
        });
        publish(0, 3);
        TrackingEventStream stream = store.openStream(null);
        assertThat(read(stream, 3)).containsExactly(0, 1, 2);
        assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();

        publish(3, 3);
        assertThat(read(stream, 3)).containsExactly(3, 4, 5);
        awaitState(store, ReaderState.STALLED);
        publish(6, 2);
        assertThat(read(stream, 2)).containsExactly(6, 7);

        storage.release();
        awaitState(store, ReaderState.RUNNING);
        publish(8, 2);
        assertThat(read(stream, 2)).containsExactly(8, 9);
        assertThat(store.readerRestarts()).isZero();
        stream.close();
    }

    @Test
    void nextAvailable_onAShutDownStore_failsInsteadOfSpinning() throws Exception {
        publish(0, 2);
        TrackingEventStream stream = store.openStream(null);
        assertThat(read(stream, 2)).containsExactly(0, 1);
        store.shutDown();
        CompletableFuture<Throwable> outcome = Outcome.ofCall(stream::nextAvailable); // before the fix it spins for ever
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStreamReadingOnItsOwn_stopsAndClosesItsReading_whenTheStoreShutsDownMidRead() throws Exception {
        AtomicInteger closedReadings = new AtomicInteger();
        AtomicInteger openedReadings = new AtomicInteger();
        InMemoryEventStorageEngine counting = new InMemoryEventStorageEngine() {
            @Override
            public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken token, boolean mayBlock) {
                openedReadings.incrementAndGet();
                return super.readEvents(token, mayBlock).onClose(closedReadings::incrementAndGet);
            }
        };
        RingBufferEventStore own = RingBufferEventStore.builder().storageEngine(counting)
                .cachedEvents(4).fetchDelay(Duration.ofMillis(20)).build();
        IntegerEvents.publish(own, 0, 20);
        TrackingEventStream stream = own.openStream(null);
        assertThat(read(stream, 3)).containsExactly(0, 1, 2); // mid-read of the 20 it reads on its own
        own.shutDown();

        assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(closedReadings.get()).isEqualTo(openedReadings.get());
    }

    @Test
    void aShutDownStore_reportsStopped() {
        store.shutDown();
        assertThat(store.readerState()).isEqualTo(ReaderState.STOPPED);
    }
}
