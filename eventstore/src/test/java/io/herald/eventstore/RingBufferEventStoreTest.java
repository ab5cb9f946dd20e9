package io.herald.eventstore;

import io.herald.eventstore.support.IntegerEvents;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.herald.eventstore.support.IntegerEvents.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RingBufferEventStoreTest {

    private static final int RING = 8;

    /** Runs when a stream's own reading (not the reader thread's) is closed. */
    private volatile Runnable onOwnReadingClosed = () -> { };
    private final AtomicInteger ownReadingsOpened = new AtomicInteger();
    private final AtomicInteger ownReadingsClosed = new AtomicInteger();

    /** Hands out a fresh message object per read, as the JDBC engine does (the in-memory one keeps and reuses its own). */
    private final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine() {
        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken token, boolean mayBlock) {
            Stream<? extends TrackedEventMessage<?>> events =
                    super.readEvents(token, mayBlock).map(e -> new GenericTrackedEventMessage<>(e.trackingToken(), e));
            if (mayBlock) {
                return events;
            }
            ownReadingsOpened.incrementAndGet();
            return events.onClose(() -> {
                ownReadingsClosed.incrementAndGet();
                onOwnReadingClosed.run();
            });
        }
    };
    private final RingBufferEventStore store = RingBufferEventStore.builder().storageEngine(storage)
            .cachedEvents(RING).fetchDelay(Duration.ofMillis(50)).build();

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    private void publish(int from, int count) {
        IntegerEvents.publish(store, from, count);
    }

    /** Waits until the reader thread has placed {@code count} events in the ring. */
    private void awaitPlaced(long count) {
        try {
            Field produced = RingBufferEventStore.class.getDeclaredField("produced");
            produced.setAccessible(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (produced.getLong(store) < count && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(produced.getLong(store)).isEqualTo(count);
        } catch (ReflectiveOperationException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> range(int from, int count) {
        return IntStream.range(from, from + count).boxed().toList();
    }

    @Test
    void aStreamFromTheStart_readsHistory_thenFollowsNewEventsAsTheyAreStored() throws Exception {
        publish(0, 20);
        TrackingEventStream stream = store.openStream(null);
        assertThat(read(stream, 20)).isEqualTo(range(0, 20));
        assertThat(stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse();

        publish(20, 3);
        assertThat(read(stream, 3)).isEqualTo(range(20, 3));
        stream.close();
    }

    @Test
    void aStreamOpenedAtAToken_startsWithTheEventAfterIt_fromTheRingOrOnItsOwn() throws Exception {
        TrackingEventStream first = store.openStream(null);
        publish(0, 30);
        List<TrackingToken> tokens = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            assertThat(first.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            tokens.add(first.nextAvailable().trackingToken());
        }

        TrackingEventStream inRing = store.openStream(tokens.get(26)); // the ring holds events 22..29
        assertThat(read(inRing, 3)).isEqualTo(range(27, 3));
        TrackingEventStream beforeRing = store.openStream(tokens.get(4));
        assertThat(read(beforeRing, 25)).isEqualTo(range(5, 25));
        TrackingEventStream atHead = store.openStream(tokens.get(29));
        assertThat(atHead.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse();

        publish(30, 2);
        assertThat(read(inRing, 2)).isEqualTo(range(30, 2));
        assertThat(read(beforeRing, 2)).isEqualTo(range(30, 2));
        assertThat(read(atHead, 2)).isEqualTo(range(30, 2));
    }

    @Test
    void aStreamOvertakenByTheRing_readsOnItsOwn_andMissesNothing() throws Exception {
        TrackingEventStream slow = store.openStream(null);
        TrackingEventStream fast = store.openStream(null);
        publish(0, 2);
        assertThat(read(slow, 1)).containsExactly(0);

        publish(2, RING * 5); // the ring is overwritten five times while the slow stream reads nothing
        assertThat(read(fast, 2 + RING * 5)).isEqualTo(range(0, 2 + RING * 5));
        assertThat(read(slow, 1 + RING * 5)).isEqualTo(range(1, 1 + RING * 5));

        publish(2 + RING * 5, 3); // and both follow new events again
        assertThat(read(slow, 3)).isEqualTo(range(2 + RING * 5, 3));
        assertThat(read(fast, 3)).isEqualTo(range(2 + RING * 5, 3));
    }

    @Test
    void concurrentWritersAndReaders_everyReaderSeesEveryEventOnceInOrder() throws Exception {
        int writers = 4;
        int perWriter = 500;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 3);
        try {
            CountDownLatch open = new CountDownLatch(3);
            List<Future<List<Integer>>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                int pause = r; // reader 2 sleeps now and then, so it falls behind the ring and rejoins it
                readers.add(pool.submit(() -> {
                    TrackingEventStream stream = store.openStream(null);
                    open.countDown();
                    List<Integer> seen = new ArrayList<>();
                    while (seen.size() < writers * perWriter) {
                        if (stream.hasNextAvailable(5, TimeUnit.SECONDS)) {
                            seen.add((Integer) stream.nextAvailable().getPayload());
                            if (pause == 2 && seen.size() % 300 == 0) {
                                Thread.sleep(20);
                            }
                        } else {
                            System.err.println("reader " + pause + " gave up after " + seen.size());
                            break;
                        }
                    }
                    stream.close();
                    return seen;
                }));
            }
            open.await();
            for (int w = 0; w < writers; w++) {
                int base = w * perWriter;
                pool.submit(() -> publish(base, perWriter));
            }
            List<Integer> order = null;
            for (Future<List<Integer>> reader : readers) {
                List<Integer> seen = reader.get(60, TimeUnit.SECONDS);
                assertThat(seen).hasSize(writers * perWriter).doesNotHaveDuplicates();
                if (order == null) {
                    order = seen;
                } else {
                    assertThat(seen).as("every reader sees the store's one order").isEqualTo(order);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEventLeavingTheRing_isGarbage_evenWhileAStreamHasNotReadOnSinceIt() throws Exception {
        TrackingEventStream idle = store.openStream(null);
        assertThat(idle.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse(); // read dry: follows the ring now
        publish(0, 1);
        assertThat(idle.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        WeakReference<TrackedEventMessage<?>> first = new WeakReference<>(idle.nextAvailable());
        TrackingEventStream follower = store.openStream(null);
        read(follower, 1);

        publish(1, RING * 3);
        read(follower, RING * 3); // the ring has moved on; the idle stream still stands after event 0

        for (int i = 0; i < 20 && first.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(first.get()).as("event 0 is held by nothing").isNull();
        assertThat(read(idle, RING * 3)).isEqualTo(range(1, RING * 3));
    }

    @Test
    void aStreamReadingOnItsOwn_isWokenByAnEventPlacedWhileItsQueryRan() throws Exception {
        TrackingEventStream slow = store.openStream(null);
        TrackingEventStream follower = store.openStream(null);
        publish(0, 1);
        assertThat(read(slow, 1)).containsExactly(0);
        assertThat(read(follower, 1)).containsExactly(0);
        assertThat(slow.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse(); // both follow the ring now
        assertThat(follower.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse();

        publish(1, RING * 2); // the slow stream is lapped: it reads them on its own
        assertThat(read(follower, RING * 2)).isEqualTo(range(1, RING * 2));
        assertThat(read(slow, RING * 2)).isEqualTo(range(1, RING * 2));

        // its next query finds nothing; right after it (before the stream waits) more events than the ring
        // holds are stored and placed: it cannot join the ring, and must not wait for the reader's next event
        AtomicBoolean once = new AtomicBoolean();
        onOwnReadingClosed = () -> {
            if (once.compareAndSet(false, true)) {
                publish(1 + RING * 2, RING * 2);
                awaitPlaced(1 + RING * 4 - 1); // every event but event 0 (the reader started after it)
            }
        };
        long start = System.nanoTime();
        assertThat(slow.hasNextAvailable(3, TimeUnit.SECONDS)).as("the events placed meanwhile are seen").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(once).isTrue();
        assertThat(read(slow, RING * 2)).isEqualTo(range(1 + RING * 2, RING * 2));
        assertThat(read(follower, RING * 2)).isEqualTo(range(1 + RING * 2, RING * 2));
    }

    @Test
    void shutDown_closesTheReadingOfAStreamReadingOnItsOwn_thatIsNotReadAgain() throws Exception {
        publish(0, 20);
        TrackingEventStream stream = store.openStream(null);
        assertThat(read(stream, 3)).containsExactly(0, 1, 2); // mid-read of the 20 it reads on its own
        assertThat(ownReadingsOpened.get()).isEqualTo(1);

        store.shutDown();

        assertThat(ownReadingsClosed.get()).as("closed by the shutdown, not at a read that may never come").isEqualTo(1);
    }

    @Test
    void aClosedStream_readsNothingMore() throws Exception {
        publish(0, 5);
        TrackingEventStream stream = store.openStream(null);
        assertThat(read(stream, 2)).containsExactly(0, 1);
        stream.close();

        assertThat(ownReadingsClosed.get()).isEqualTo(ownReadingsOpened.get());
        assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.peek()).isEmpty();
        assertThatThrownBy(stream::nextAvailable).isInstanceOf(IllegalStateException.class);
        assertThat(ownReadingsOpened.get()).as("no reading opened after the close").isEqualTo(1);
    }
}
