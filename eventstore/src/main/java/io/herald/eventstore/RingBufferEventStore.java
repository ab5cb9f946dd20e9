package io.herald.eventstore;

import org.axonframework.common.AxonThreadFactory;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.AbstractEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.lifecycle.Lifecycle;
import org.axonframework.lifecycle.Phase;
import org.axonframework.monitoring.MessageMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The event store every processor of this instance reads: one reader thread follows the storage
 * engine and keeps the most recent events in a fixed ring, and the processors that keep up read
 * from the ring; a processor that falls behind it reads the store on its own until it has caught
 * up, then reads from the ring again. This is what Axon's {@code EmbeddedEventStore} does, with one
 * difference that matters under load: its cache is a linked list in which every event points to the
 * next. Once one list node has been promoted to the old generation and has died there, the young
 * collections keep everything it links to alive (the old generation is their root set) until a
 * concurrent cycle reclaims it, so each collection copies every event stored since. At 13,000 tracked
 * events/s the heap left after young collections grew from 60 to 600 MiB within 20 s and the pauses
 * to 240 ms (a heap histogram held 85,000 list nodes for a 1,000-event cache; BENCHMARKS.md). Slots
 * in a ring point to nothing but their own event: an overwritten event is garbage at once.
 * <p>
 * Events appended by this instance wake the reader at once; those of other instances are found
 * every {@code fetchDelay}. Streams that wait are woken as the reader places events: those blocked
 * in {@code hasNextAvailable(timeout)} (tracking processors) by a signal, and those whose reader never
 * waits on them (a pooled processor's coordinator) by their availability callback
 * ({@code setOnAvailableCallback}), called by the reader thread, outside every lock, once
 * per look that found nothing; a callback that fails is logged and the reader goes on. A stream is positioned by token: it reads from the ring when the ring
 * holds the event after that token, and on its own otherwise. Tokens are compared whole (with their
 * gaps): a stream joins the ring only where the ring's history is exactly its own, so no event a
 * stream has not seen can be skipped.
 * <p>
 * The reader thread is supervised ({@link #readerState()}): if it dies (an error escapes it, or it
 * ends while the store is open) a new one takes its place after a back-off that grows with each
 * restart in a row; if it makes no progress for {@code stallTimeout} (a query that hangs) it counts
 * as stalled, and until it moves again every stream reads the storage engine on its own, looking
 * every {@code fetchDelay}, instead of waiting on a ring that does not move (a stream with a callback
 * is called back {@code fetchDelay} after each look that found nothing while the reader is stalled or
 * restarting; one that was already waiting when the reader stalled hears of it at its processor's
 * next look of its own, within the coordinator's token claim interval).
 */
public final class RingBufferEventStore extends AbstractEventStore implements Lifecycle {

    private static final Logger logger = LoggerFactory.getLogger(RingBufferEventStore.class);
    private static final long MAX_RESTART_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What the reader thread is doing, for health checks and metrics. */
    public enum ReaderState {
        /** No stream has needed the ring yet. */
        NOT_STARTED,
        /** Reading, or waiting for events with a heartbeat at least every {@code fetchDelay}. */
        RUNNING,
        /** No progress for longer than {@code stallTimeout}: streams read on their own meanwhile. */
        STALLED,
        /** The thread died; a new one starts after a back-off. */
        RESTARTING,
        /** The store has been shut down. */
        STOPPED
    }

    /** One cached event, with the token before it (where a stream must stand to read it next). */
    private record Slot(long sequence, TrackingToken previousToken, TrackedEventMessage<?> event) {
    }

    private final Slot[] ring;
    private final long fetchDelayNanos;
    private final long stallNanos;
    /** When the reader thread last showed it is alive (each loop, each event placed). */
    private volatile long heartbeat;
    private volatile boolean restarting;
    private final AtomicInteger readerRestarts = new AtomicInteger();
    private volatile int restartsInARow;
    private final ThreadFactory threadFactory;
    /** Events placed in the ring so far: the next event gets this sequence number. */
    private volatile long produced;
    /** Every stream opened and not yet closed: the shutdown closes them, the reader calls them back. */
    private final Set<RingStream> streams = ConcurrentHashMap.newKeySet();
    /** Streams waiting for a call back ({@link RingStream#setOnAvailableCallback}): the reader looks only when some are. */
    private final AtomicInteger armedStreams = new AtomicInteger();
    private final ReentrantLock consumerLock = new ReentrantLock();
    private final Condition eventsPlaced = consumerLock.newCondition();
    private final AtomicInteger waitingConsumers = new AtomicInteger();
    private final ReentrantLock producerLock = new ReentrantLock();
    private final Condition fetchRequested = producerLock.newCondition();
    /** Set (after {@link #newestToken}) once the reader thread has been started. */
    private volatile boolean producerStarted;
    private volatile boolean shouldFetch;
    private volatile boolean closed;
    private volatile Stream<? extends TrackedEventMessage<?>> producerStream;
    /**
     * Token of the newest event in the ring, or the token the reader started from while the ring is
     * empty (set once by the thread that starts the reader, then written by the reader only, each
     * time after {@link #produced}).
     */
    private volatile TrackingToken newestToken;

    private RingBufferEventStore(Builder builder) {
        super(builder);
        this.ring = new Slot[builder.cachedEvents];
        this.fetchDelayNanos = builder.fetchDelay.toNanos();
        this.stallNanos = builder.stallTimeout.toNanos();
        this.threadFactory = new AxonThreadFactory("EventStoreReader");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The reader thread's state (see the class). */
    public ReaderState readerState() {
        if (closed) {
            return ReaderState.STOPPED;
        }
        if (!producerStarted) {
            return ReaderState.NOT_STARTED;
        }
        if (restarting) {
            return ReaderState.RESTARTING;
        }
        return System.nanoTime() - heartbeat > stallNanos ? ReaderState.STALLED : ReaderState.RUNNING;
    }

    /** How often the reader thread has been replaced since the store started. */
    public int readerRestarts() {
        return readerRestarts.get();
    }

    /** Streams wait on the ring only while its reader runs (or has yet to start). */
    private boolean ringMoves() {
        ReaderState state = readerState();
        return state == ReaderState.RUNNING || state == ReaderState.NOT_STARTED;
    }

    @Override
    public void registerLifecycleHandlers(LifecycleRegistry lifecycle) {
        lifecycle.onShutdown(Phase.INBOUND_EVENT_CONNECTORS - 10, this::shutDown);
    }

    /**
     * Stops the reader thread and every stream: a stream reading the storage engine on its own has
     * that reading closed here, or, if one of its reads is under way, by that read as it returns;
     * streams return nothing from then on.
     */
    public void shutDown() {
        closed = true;
        streams.forEach(RingStream::closeOwnSoon);
        Stream<? extends TrackedEventMessage<?>> stream = producerStream;
        if (stream != null) {
            stream.close();
        }
        requestFetch();
        wakeConsumers();
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        requestFetch();
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        RingStream stream = new RingStream(trackingToken);
        long next = sequenceAfter(trackingToken);
        if (next >= 0) {
            stream.tailFrom(next);
        }
        return stream;
    }

    /** The sequence of the event that follows {@code token} in the ring, or -1 when the ring cannot tell. */
    private long sequenceAfter(TrackingToken token) {
        long head = produced;
        if (head == 0) {
            // nothing placed yet: the first event will follow the token the reader started from; the second
            // look at produced rules out an event placed meanwhile (placing counts before it moves the token)
            return producerStarted && Objects.equals(newestToken, token) && produced == 0 ? 0 : -1;
        }
        Slot newest = ring[index(head - 1)];
        if (newest != null && newest.sequence() == head - 1 && Objects.equals(newest.event().trackingToken(), token)) {
            return head;
        }
        for (long s = Math.max(0, head - ring.length); s < head; s++) {
            Slot slot = ring[index(s)];
            if (slot != null && slot.sequence() == s && Objects.equals(slot.previousToken(), token)) {
                return s;
            }
        }
        return -1;
    }

    private int index(long sequence) {
        return (int) (sequence % ring.length);
    }

    // ------------------------------------------------------------------ the reader (producer) thread

    private void requestFetch() {
        shouldFetch = true;
        producerLock.lock();
        try {
            fetchRequested.signalAll();
        } finally {
            producerLock.unlock();
        }
    }

    private synchronized void ensureProducerStarted(TrackingToken from) {
        if (!producerStarted && !closed) {
            newestToken = from;
            heartbeat = System.nanoTime();
            producerStarted = true;
            threadFactory.newThread(this::runReader).start();
        }
    }

    /** The reader thread's body: reads until the store closes, and has itself replaced if it ends otherwise. */
    private void runReader() {
        Throwable cause = null;
        try {
            produce();
        } catch (Throwable e) {
            cause = e;
        }
        if (!closed) {
            logger.error("The event store's reader thread ended while the store is open; starting a new one", cause);
            scheduleRestart();
        }
    }

    private synchronized void scheduleRestart() {
        if (closed) {
            return;
        }
        restarting = true;
        readerRestarts.incrementAndGet();
        long backoff = Math.min(MAX_RESTART_BACKOFF_NANOS, fetchDelayNanos << Math.min(restartsInARow++, 20));
        threadFactory.newThread(() -> {
            try {
                TimeUnit.NANOSECONDS.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            heartbeat = System.nanoTime();
            restarting = false;
            runReader();
        }).start();
    }

    private void produce() throws InterruptedException {
        while (!closed) {
            heartbeat = System.nanoTime();
            boolean found = false;
            shouldFetch = true;
            while (shouldFetch && !closed) {
                shouldFetch = false;
                found |= fetch();
            }
            if (found) {
                restartsInARow = 0;
            }
            if (!found && !closed) {
                producerLock.lock();
                try {
                    if (!shouldFetch) {
                        fetchRequested.awaitNanos(fetchDelayNanos);
                    }
                } finally {
                    producerLock.unlock();
                }
            }
        }
    }

    private boolean fetch() {
        long before = produced;
        try (Stream<? extends TrackedEventMessage<?>> events = storageEngine().readEvents(newestToken, true)) {
            producerStream = events;
            Iterator<? extends TrackedEventMessage<?>> iterator = events.iterator();
            while (!closed && iterator.hasNext()) {
                place(iterator.next());
            }
        } catch (Exception e) {
            if (!closed) {
                logger.error("Failed to read events from the event storage", e);
            }
        } finally {
            producerStream = null;
        }
        return produced != before;
    }

    private void place(TrackedEventMessage<?> read) {
        long sequence = produced;
        TrackedEventMessage<?> event = PositionedEvent.positioned(read, newestToken);
        ring[index(sequence)] = new Slot(sequence, newestToken, event);
        produced = sequence + 1;
        newestToken = event.trackingToken();
        heartbeat = System.nanoTime();
        if (waitingConsumers.get() > 0) {
            wakeConsumers();
        }
        if (armedStreams.get() > 0) {
            callBackArmedStreams();
        }
    }

    /**
     * Calls back the streams whose reader found nothing to read since their last call back. On the
     * reader thread, holding no lock of the store's: a callback may use the store (its coordinator
     * schedules a task that reads the stream), and one that fails is logged and does not stop the
     * reader. Callbacks are meant to be short (Axon's coordinator schedules a task and returns).
     */
    private void callBackArmedStreams() {
        for (RingStream stream : streams) {
            stream.callBackIfArmed();
        }
    }

    private void wakeConsumers() {
        consumerLock.lock();
        try {
            eventsPlaced.signalAll();
        } finally {
            consumerLock.unlock();
        }
    }

    /** Waits until the ring holds more than {@code sequence} events, at most {@code nanos}; false when it did not. */
    private boolean awaitPlaced(long sequence, long nanos) throws InterruptedException {
        if (produced > sequence) {
            return true;
        }
        consumerLock.lock();
        waitingConsumers.incrementAndGet();
        try {
            long remaining = nanos;
            while (produced <= sequence && remaining > 0 && !closed) {
                remaining = eventsPlaced.awaitNanos(remaining);
            }
            return produced > sequence;
        } finally {
            waitingConsumers.decrementAndGet();
            consumerLock.unlock();
        }
    }

    // ------------------------------------------------------------------ streams (consumers)

    /**
     * A stream: read by one thread at a time (its processor's), closed by that thread, another one, or
     * the store's shutdown. Its own reading of the storage engine is used under {@link #use}, which its
     * reads hold; a close from another thread closes that reading if it can take the lock, and leaves it
     * to the read under way otherwise (each read closes it as it returns once the stream is closed).
     */
    private final class RingStream implements TrackingEventStream {

        private final ReentrantLock use = new ReentrantLock();
        private volatile boolean streamClosed;
        private TrackingToken lastToken;
        /** Sequence of the next event to read from the ring; -1 while reading on its own. */
        private long next = -1;
        private Stream<? extends TrackedEventMessage<?>> privateStream;
        private Iterator<? extends TrackedEventMessage<?>> privateIterator;
        /**
         * How many events the ring held when our own reading began: an event placed since may have been
         * stored after that reading looked, so once it has run dry we wait for more than this, not for
         * more than the ring holds by then (which would miss such an event until the next one came).
         */
        private long placedBeforeOwnReading;
        private TrackedEventMessage<?> peeked;
        private volatile Runnable onAvailable;
        /** Set when a look finds nothing while a callback is registered; cleared by the call back (or by an event found). */
        private final AtomicBoolean armed = new AtomicBoolean();

        private RingStream(TrackingToken start) {
            this.lastToken = start;
            streams.add(this);
        }

        private void tailFrom(long sequence) {
            next = sequence;
        }

        private void stopTailing() {
            next = -1;
        }

        private boolean ended() {
            return streamClosed || closed;
        }

        /** After a read: once the stream or the store is closed, the read closes our own reading. */
        private void release() {
            use.unlock();
            if (ended()) {
                closeOwnSoon();
            }
        }

        /** Closes our own reading now if no read is under way; a read under way does it as it returns. */
        private void closeOwnSoon() {
            if (use.tryLock()) {
                try {
                    closeOwn();
                } finally {
                    use.unlock();
                }
            }
        }

        /**
         * Calls {@code callback} (once per wait) when events may have become available after a look
         * ({@code hasNextAvailable}, {@code peek}) found none: when the store's reader places events in
         * the ring, whichever instance stored them, and while the reader is stalled or restarting, every
         * {@code fetchDelay}. Called on the store's reader thread, holding no lock: it should be short.
         * Dropped when the stream closes.
         */
        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            onAvailable = callback;
            return true;
        }

        /** Before a look: from now on, a placed event calls back (a look that finds one disarms again). */
        private void arm() {
            if (onAvailable == null) {
                return;
            }
            if (armed.compareAndSet(false, true)) {
                armedStreams.incrementAndGet();
            }
            if (!ringMoves()) {
                // no reader places events meanwhile: call back after fetchDelay, to look again then
                CompletableFuture.delayedExecutor(fetchDelayNanos, TimeUnit.NANOSECONDS).execute(this::callBackIfArmed);
            }
        }

        private void disarm() {
            if (armed.compareAndSet(true, false)) {
                armedStreams.decrementAndGet();
            }
        }

        private void callBackIfArmed() {
            if (!armed.compareAndSet(true, false)) {
                return;
            }
            armedStreams.decrementAndGet();
            Runnable callback = onAvailable;
            if (callback == null || streamClosed) {
                return;
            }
            try {
                callback.run();
            } catch (RuntimeException e) {
                logger.warn("An event stream's availability callback failed; the reader thread goes on", e);
            }
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            try {
                return Optional.ofNullable(hasNextAvailable(0, TimeUnit.MILLISECONDS) ? peeked : null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            use.lock();
            try {
                if (streamClosed) {
                    return false;
                }
                if (peeked != null) {
                    return true;
                }
                arm(); // before looking: an event placed after the look then calls back
                peeked = read(unit.toNanos(timeout));
                if (peeked != null) {
                    disarm();
                }
                return peeked != null;
            } finally {
                release();
            }
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            use.lock();
            try {
                while (peeked == null) {
                    if (streamClosed) {
                        throw new IllegalStateException("This event stream has been closed");
                    }
                    if (closed) { // would return at once, again and again: a spin
                        throw new IllegalStateException("The event store has been shut down");
                    }
                    peeked = read(TimeUnit.SECONDS.toNanos(1));
                }
                TrackedEventMessage<?> event = peeked;
                peeked = null;
                return event;
            } finally {
                release();
            }
        }

        private TrackedEventMessage<?> read(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            while (next >= 0 && !closed) {
                if (produced <= next && !ringMoves()) {
                    stopTailing(); // the reader is stalled or restarting: read on our own meanwhile
                    break;
                }
                // wait in slices, so that a reader that stalls meanwhile is noticed
                long slice = Math.min(Math.max(0, deadline - System.nanoTime()), fetchDelayNanos);
                TrackedEventMessage<?> event = readRing(slice);
                if (next < 0) {
                    // fell behind the ring: read on our own; rejoin once that reading has run dry
                    return readOwn(Math.max(0, deadline - System.nanoTime()), false);
                }
                if (event != null || deadline - System.nanoTime() <= 0) {
                    return event;
                }
            }
            return readOwn(Math.max(0, deadline - System.nanoTime()), true); // (closes its reading if the store has)
        }

        private TrackedEventMessage<?> readRing(long nanos) throws InterruptedException {
            long sequence = next;
            if (sequence < 0 || produced <= sequence && (nanos <= 0 || !awaitPlaced(sequence, nanos))) {
                return null;
            }
            Slot slot = ring[index(sequence)];
            if (slot == null || slot.sequence() != sequence) { // overwritten: this stream is too slow for the ring
                stopTailing();
                return null;
            }
            next = sequence + 1;
            lastToken = slot.event().trackingToken();
            return slot.event();
        }

        /**
         * Reads on our own; once that has run dry, joins the ring where it holds the event after our
         * token (not right after falling behind it: {@code mayJoinRing} false), or waits for the reader
         * thread to place new events and reads on our own again, until {@code nanos} have passed.
         */
        private TrackedEventMessage<?> readOwn(long nanos, boolean mayJoinRing) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            boolean mayJoin = mayJoinRing;
            while (true) {
                if (closed) { // the store's shutdown: stop mid-read, and close what we read on this thread
                    closeOwn();
                    return null;
                }
                if (privateIterator == null) {
                    placedBeforeOwnReading = produced;
                    privateStream = storageEngine().readEvents(lastToken, false);
                    privateIterator = privateStream.iterator();
                }
                if (privateIterator.hasNext()) {
                    return ownEvent();
                }
                closeOwn(); // read dry: the next read queries afresh
                boolean ringMoves = ringMoves();
                if (mayJoin && ringMoves) {
                    ensureProducerStarted(lastToken);
                    long sequence = sequenceAfter(lastToken);
                    if (sequence >= 0) {
                        tailFrom(sequence);
                        return read(Math.max(0, deadline - System.nanoTime()));
                    }
                    // the ring has moved on, is behind us, or its history differs from this stream's
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
                if (ringMoves) {
                    if (!awaitPlaced(placedBeforeOwnReading, remaining)) {
                        return null;
                    }
                } else {
                    // the reader does not move: look at the store again after fetchDelay
                    awaitPlaced(placedBeforeOwnReading, Math.min(remaining, fetchDelayNanos));
                }
                mayJoin = true;
            }
        }

        private TrackedEventMessage<?> ownEvent() {
            TrackedEventMessage<?> event = PositionedEvent.positioned(privateIterator.next(), lastToken);
            lastToken = event.trackingToken();
            return event;
        }

        private void closeOwn() {
            if (privateStream != null) {
                privateStream.close();
            }
            privateStream = null;
            privateIterator = null;
        }

        @Override
        public void close() {
            streamClosed = true;
            streams.remove(this);
            onAvailable = null;
            disarm();
            closeOwnSoon();
        }
    }

    /** Settings: the storage engine, the ring's size, how often other instances' events are looked for. */
    public static final class Builder extends AbstractEventStore.Builder {

        /** The smallest ring accepted: one or two slots were flagged as unsafe in a review of the ring, and are not needed. */
        public static final int MIN_SLOTS = 3;

        private int cachedEvents = 1000;
        private Duration fetchDelay = Duration.ofSeconds(1);
        /** Unless set: 30 s, or four times the fetch delay if that is longer. */
        private Duration stallTimeout;

        @Override
        public Builder storageEngine(EventStorageEngine storageEngine) {
            super.storageEngine(storageEngine);
            return this;
        }

        @Override
        public Builder messageMonitor(MessageMonitor<? super EventMessage<?>> messageMonitor) {
            super.messageMonitor(messageMonitor);
            return this;
        }

        @Override
        public Builder spanFactory(EventBusSpanFactory spanFactory) {
            super.spanFactory(spanFactory);
            return this;
        }

        /** At least {@link #MIN_SLOTS} (tests use tiny rings); the application's setting is at least 16. */
        public Builder cachedEvents(int cachedEvents) {
            if (cachedEvents < MIN_SLOTS) {
                throw new IllegalArgumentException("cachedEvents must be at least " + MIN_SLOTS + ", not " + cachedEvents);
            }
            this.cachedEvents = cachedEvents;
            return this;
        }

        /** Longer than 0: the reader waits this long between looks, and a wait of 0 is a spin. */
        public Builder fetchDelay(Duration fetchDelay) {
            if (fetchDelay == null || fetchDelay.isNegative() || fetchDelay.isZero()) {
                throw new IllegalArgumentException("fetchDelay must be longer than 0, not " + fetchDelay);
            }
            this.fetchDelay = fetchDelay;
            return this;
        }

        /**
         * How long the reader thread may show no progress before it counts as stalled (streams then read
         * on their own); longer than {@code fetchDelay}, which it waits between looks when idle.
         */
        public Builder stallTimeout(Duration stallTimeout) {
            if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
                throw new IllegalArgumentException("stallTimeout must be longer than 0, not " + stallTimeout);
            }
            this.stallTimeout = stallTimeout;
            return this;
        }

        public RingBufferEventStore build() {
            if (stallTimeout == null) {
                Duration fourFetches = fetchDelay.multipliedBy(4);
                stallTimeout = fourFetches.compareTo(Duration.ofSeconds(30)) > 0 ? fourFetches : Duration.ofSeconds(30);
            }
            if (stallTimeout.compareTo(fetchDelay) <= 0) {
                throw new IllegalArgumentException("stallTimeout (" + stallTimeout + ") must be longer than fetchDelay ("
                        + fetchDelay + ")");
            }
            validate();
            return new RingBufferEventStore(this);
        }
    }
}
