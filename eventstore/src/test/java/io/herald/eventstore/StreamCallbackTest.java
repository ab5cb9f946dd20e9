package io.herald.eventstore;

import io.herald.eventstore.RingBufferEventStore.ReaderState;
import io.herald.eventstore.support.ObservedReaderEngine;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The event store's streams call back when its reader places events ({@code setOnAvailableCallback}). */
class StreamCallbackTest {

    private final ObservedReaderEngine storage = new ObservedReaderEngine();
    private final RingBufferEventStore store = RingBufferEventStore.builder().storageEngine(storage)
            .cachedEvents(8).fetchDelay(Duration.ofMillis(50)).stallTimeout(Duration.ofMillis(300)).build();

    @AfterEach
    void shutDown() {
        storage.release();
        store.shutDown();
    }

    private void publish(int payload) {
        store.publish(GenericEventMessage.asEventMessage(payload));
    }

    private static void await(AtomicInteger counter, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counter.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(counter.get()).isGreaterThanOrEqualTo(atLeast);
    }

    /** Reads what is there without waiting, as a pooled processor's coordinator does. */
    private static int drain(TrackingEventStream stream) throws InterruptedException {
        int taken = 0;
        while (stream.hasNextAvailable()) {
            stream.nextAvailable();
            taken++;
        }
        return taken;
    }

    @Test
    void aCallbackThatFails_isLogged_andTheReaderAndTheOtherStreamsGoOn() throws Exception {
        TrackingEventStream failing = store.openStream(null);
        TrackingEventStream other = store.openStream(null);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        assertThat(failing.setOnAvailableCallback(() -> {
            failures.incrementAndGet();
            throw new IllegalStateException("a callback that fails");
        })).isTrue();
        assertThat(other.setOnAvailableCallback(calls::incrementAndGet)).isTrue();
        assertThat(drain(failing)).isZero();
        assertThat(drain(other)).isZero();

        for (int i = 0; i < 3; i++) {
            publish(i);
            await(calls, i + 1);
            await(failures, i + 1);
            assertThat(drain(other)).isEqualTo(1);
            assertThat(drain(failing)).isEqualTo(1);
        }

        assertThat(failures.get()).isEqualTo(3);
        assertThat(store.readerRestarts()).isZero();
        assertThat(store.readerState()).isEqualTo(ReaderState.RUNNING);
    }

    @Test
    void aClosedStream_isNotCalledBack_andTheStoreHoldsNeitherItNorItsCallback() throws Exception {
        TrackingEventStream stream = store.openStream(null);
        AtomicInteger calls = new AtomicInteger();
        Runnable callback = calls::incrementAndGet;
        stream.setOnAvailableCallback(callback);
        assertThat(drain(stream)).isZero();
        WeakReference<Runnable> callbackRef = new WeakReference<>(callback);
        WeakReference<TrackingEventStream> streamRef = new WeakReference<>(stream);
        TrackingEventStream follower = store.openStream(null);
        assertThat(drain(follower)).isZero();

        stream.close();
        callback = null;
        stream = null;
        publish(1);
        assertThat(follower.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue(); // placed

        for (int i = 0; i < 20 && (callbackRef.get() != null || streamRef.get() != null); i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(calls.get()).isZero();
        assertThat(callbackRef.get()).as("the callback is held by nothing").isNull();
        assertThat(streamRef.get()).as("the stream is held by nothing").isNull();
    }

    @Test
    void aCallback_runsHoldingNoLockOfTheStore_soItMayUseTheStoreFromAnotherThread() throws Exception {
        TrackingEventStream stream = store.openStream(null);
        CompletableFuture<Boolean> usedTheStore = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        stream.setOnAvailableCallback(() -> {
            if (calls.incrementAndGet() > 1) {
                return;
            }
            // what would deadlock if the callback held a lock of the store: another thread waits for
            // events (the consumers' lock) and stores one (the reader's lock), and the callback waits for it
            CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
                try {
                    TrackingEventStream second = store.openStream(null);
                    drain(second);
                    second.hasNextAvailable(100, TimeUnit.MILLISECONDS); // waits on the ring
                    publish(2);
                    second.close();
                    return true;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                usedTheStore.complete(other.get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                usedTheStore.completeExceptionally(e);
            }
        });
        assertThat(drain(stream)).isZero();

        publish(1);

        assertThat(usedTheStore.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void whileTheReaderIsStalled_aWaitingStreamIsCalledBackEveryFetchDelay() throws Exception {
        storage.onReaderRead(() -> {
            if (storage.readerReads() == 2) { // its second look hangs
                storage.hang();
            }
        });
        TrackingEventStream stream = store.openStream(null);
        AtomicInteger calls = new AtomicInteger();
        stream.setOnAvailableCallback(calls::incrementAndGet);
        assertThat(drain(stream)).isZero(); // joins the ring, starts the reader (whose second look hangs)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (store.readerState() != ReaderState.STALLED && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.readerState()).isEqualTo(ReaderState.STALLED);

        assertThat(drain(stream)).isZero(); // a look while stalled: called back after fetchDelay
        publish(0); // the reader hangs: it places nothing
        int taken = 0;
        long start = System.nanoTime();
        while (taken == 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
            await(calls, calls.get() + 1);
            taken += drain(stream); // reads on its own meanwhile
        }
        assertThat(taken).isEqualTo(1);
        assertThat(calls.get()).as("one call back per look, after fetchDelay: no spin").isLessThan(50);
        stream.close();
    }
}
