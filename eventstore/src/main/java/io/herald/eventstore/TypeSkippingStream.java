package io.herald.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An event stream that leaves out the payload types its processor said it cannot handle.
 * <p>
 * Axon's processors tell their stream which types they ignore ({@link #skipMessagesWithPayloadTypeOf});
 * Axon Server filters them out at the source, the event store here ignores the hint, so every
 * processor walks every event: during a million-row import the processors that handle no contact
 * event (campaign summaries, the send saga, the live-update processors) took about a quarter of the
 * JVM's CPU offering a million events to work packages that turn each one down. This stream drops
 * them before the processor sees them.
 * <p>
 * The processor's position still moves: the last event of a run of skipped ones is delivered when
 * nothing follows it yet (the end of a commit's events), and one in every {@value #PASS_EVERY} of a
 * longer run, so its token (saved after the ignored event) never falls far behind the store and a
 * restart does not re-read what was skipped. A delivered event's token covers every event before it.
 * <p>
 * Not thread-safe; like every Axon event stream it is read by one thread at a time (its processor's).
 * The wrapped stream's availability callback is its own ({@link #setOnAvailableCallback}).
 */
final class TypeSkippingStream implements BlockingStream<TrackedEventMessage<?>> {

    static final int PASS_EVERY = 1_000;

    private final BlockingStream<TrackedEventMessage<?>> delegate;
    private final Set<Class<?>> skipped = new HashSet<>();
    private TrackedEventMessage<?> next;
    /** The last event of the run of skipped ones taken so far: delivered if nothing follows it yet. */
    private TrackedEventMessage<?> lastSkipped;
    private int skippedInARow;
    private boolean closed;

    TypeSkippingStream(BlockingStream<TrackedEventMessage<?>> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
        skipped.add(ignoredMessage.getPayloadType());
        delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
    }

    /**
     * Takes events from the delegate until one is to be delivered (kept in {@link #next}) or none is
     * available before the deadline.
     */
    private boolean prepare(long timeoutNanos) throws InterruptedException {
        if (next != null) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            boolean available;
            if (lastSkipped != null) {
                available = delegate.hasNextAvailable(); // end of the run? then deliver its last event
            } else {
                long left = deadline - System.nanoTime();
                available = delegate.hasNextAvailable((int) Math.min(Integer.MAX_VALUE, Math.max(0, left)),
                                                      TimeUnit.NANOSECONDS);
            }
            if (!available) {
                if (lastSkipped != null) {
                    deliver(lastSkipped);
                    return true;
                }
                return false;
            }
            if (take(delegate.nextAvailable())) {
                return true;
            }
        }
    }

    /** Delivers {@code event} (true) or skips it (false). */
    private boolean take(TrackedEventMessage<?> event) {
        if (skipped.isEmpty() || !skipped.contains(event.getPayloadType()) || ++skippedInARow >= PASS_EVERY) {
            deliver(event);
            return true;
        }
        lastSkipped = event;
        return false;
    }

    private void deliver(TrackedEventMessage<?> event) {
        next = event;
        lastSkipped = null;
        skippedInARow = 0;
    }

    /** The wrapped stream calls back: a look that finds nothing here found nothing there (skipped events are taken). */
    @Override
    public boolean setOnAvailableCallback(Runnable callback) {
        return delegate.setOnAvailableCallback(callback);
    }

    @Override
    public Optional<TrackedEventMessage<?>> peek() {
        if (closed) {
            return Optional.empty();
        }
        try {
            prepare(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.ofNullable(next);
    }

    @Override
    public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
        return !closed && prepare(unit.toNanos(timeout));
    }

    /**
     * Blocks until an event is there to deliver, like the stream it wraps: waits in that stream's
     * {@code nextAvailable()}, which fails once its store has shut down (asking {@code hasNextAvailable}
     * in a loop would spin then: it returns false at once).
     */
    @Override
    public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("This event stream has been closed");
        }
        while (!prepare(0)) {
            take(delegate.nextAvailable());
        }
        TrackedEventMessage<?> event = next;
        next = null;
        return event;
    }

    @Override
    public void close() {
        closed = true;
        next = null;
        lastSkipped = null;
        delegate.close();
    }
}
