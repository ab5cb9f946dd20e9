package io.herald.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The streams a pooled processor's coordinator reads: it never waits on them (it asks
 * {@code hasNextAvailable()} without a timeout), and is called back when events arrive.
 */
class PromptEventSourceTest {

    private final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine() {
        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken token, boolean mayBlock) {
            return super.readEvents(token, mayBlock).map(e -> new GenericTrackedEventMessage<>(e.trackingToken(), e));
        }
    };
    private final RingBufferEventStore store = RingBufferEventStore.builder().storageEngine(storage)
            .cachedEvents(16).fetchDelay(Duration.ofMillis(50)).build();
    private final PromptEventSource source = new PromptEventSource(store);

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    /** Takes what is there, without waiting, as the coordinator does. */
    private static List<Integer> drain(BlockingStream<TrackedEventMessage<?>> stream) throws InterruptedException {
        List<Integer> payloads = new ArrayList<>();
        while (stream.hasNextAvailable()) {
            payloads.add((Integer) stream.nextAvailable().getPayload());
        }
        return payloads;
    }

    private static void await(AtomicInteger counter, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counter.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(counter.get()).isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void theCoordinatorsLook_neverWaits_forAWatcherHoldingTheStream() throws Exception {
        store.publish(GenericEventMessage.asEventMessage(0));
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        assertThat(stream.setOnAvailableCallback(() -> { })).isTrue();
        assertThat(drain(stream)).containsExactly(0);
        Thread.sleep(30);

        long waited = 0;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            assertThat(stream.hasNextAvailable()).isFalse();
            waited += System.nanoTime() - start;
            Thread.sleep(10);
        }
        // before: each look waited for the watcher's 200 ms wait on the same stream to end
        assertThat(Duration.ofNanos(waited)).isLessThan(Duration.ofMillis(100));
        stream.close();
    }

    @Test
    void anEventNotYetTaken_isAnnouncedOnce_notOncePerLook() throws Exception {
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        AtomicInteger callbacks = new AtomicInteger();
        assertThat(stream.setOnAvailableCallback(callbacks::incrementAndGet)).isTrue();
        assertThat(drain(stream)).isEmpty();

        store.publish(GenericEventMessage.asEventMessage(1));
        await(callbacks, 1);
        Thread.sleep(200); // the coordinator is busy and does not come for it yet

        // before: the watcher called back every 5 ms until the event was taken (about 40 times)
        assertThat(callbacks.get()).isEqualTo(1);
        assertThat(drain(stream)).containsExactly(1);
        stream.close();
    }

    @Test
    void aStreamThatFails_isNotLookedAtInALoop() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        TrackingEventStream broken = new TrackingEventStream() {
            @Override
            public Optional<TrackedEventMessage<?>> peek() {
                return Optional.empty();
            }

            @Override
            public boolean hasNextAvailable(int timeout, TimeUnit unit) {
                looks.incrementAndGet();
                throw new IllegalStateException("broken");
            }

            @Override
            public TrackedEventMessage<?> nextAvailable() {
                throw new IllegalStateException("broken");
            }

            @Override
            public void close() {
            }
        };
        EventStore failing = mock(EventStore.class);
        when(failing.openStream(any())).thenReturn(broken);
        BlockingStream<TrackedEventMessage<?>> stream = new PromptEventSource(failing).openStream(null);
        stream.setOnAvailableCallback(() -> { });
        Thread.sleep(100);

        // before: a watcher caught the exception and asked again at once, thousands of times
        assertThat(looks.get()).isLessThanOrEqualTo(1);
        stream.close();
    }

    @Test
    void aCoordinatorLikeConsumer_isWokenWithinMillisecondsOfEachAppend() throws Exception {
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        ScheduledExecutorService coordinator = Executors.newSingleThreadScheduledExecutor();
        ConcurrentLinkedQueue<Long> received = new ConcurrentLinkedQueue<>();
        AtomicInteger count = new AtomicInteger();
        AtomicBoolean scheduled = new AtomicBoolean();
        Runnable task = () -> {
            scheduled.set(false);
            try {
                while (stream.hasNextAvailable()) {
                    stream.nextAvailable();
                    received.add(System.nanoTime());
                    count.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            assertThat(stream.setOnAvailableCallback(() -> {
                if (scheduled.compareAndSet(false, true)) {
                    coordinator.execute(task);
                }
            })).isTrue();
            coordinator.submit(task).get();

            List<Long> published = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                published.add(System.nanoTime());
                store.publish(GenericEventMessage.asEventMessage(i));
                await(count, i + 1);
                Thread.sleep(5);
            }
            List<Long> times = new ArrayList<>(received);
            for (int i = 0; i < 20; i++) {
                // no polling slice in between: the old code's watcher looked in slices of 200 ms
                assertThat(Duration.ofNanos(times.get(i) - published.get(i))).as("event %d", i)
                        .isLessThan(Duration.ofMillis(100));
            }
        } finally {
            coordinator.shutdownNow();
            stream.close();
        }
    }
}
