package io.herald.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The event store as the source of the pooled streaming processors, with prompt wake-ups.
 * <p>
 * A pooled processor's coordinator asks its stream to call back when events become available;
 * the event store's streams cannot, so the coordinator falls back to looking every
 * 500 ms, and every projection (and every read-your-writes response) lags by up to that much.
 * Each stream opened here gets a watcher that blocks on the store's own "events available"
 * signal (woken at once by local commits, and by the store's fetch of other instances' events)
 * and calls the coordinator back. Coordinator and watcher never use the underlying stream at the
 * same time.
 * <p>
 * The streams also leave out the event types their processor has said it cannot handle
 * ({@link TypeSkippingStream}), which the event store does not do by itself.
 */
public final class PromptEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private static final long WATCH_SLICE_MILLIS = 200;
    private static final long AFTER_CALLBACK_WAIT_MILLIS = 5;

    private final EventStore eventStore;

    public PromptEventSource(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new PromptStream(new TypeSkippingStream(eventStore.openStream(trackingToken)));
    }

    @Override
    public TrackingToken createTailToken() {
        return eventStore.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return eventStore.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(java.time.Instant dateTime) {
        return eventStore.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(java.time.Duration duration) {
        return eventStore.createTokenSince(duration);
    }

    static final class PromptStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition consumed = lock.newCondition();
        private volatile boolean open = true;
        private Thread watcher;

        PromptStream(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            lock.lock();
            try {
                if (watcher != null) {
                    return true;
                }
                watcher = Thread.ofVirtual().name("herald-event-watcher").start(() -> watch(callback));
                return true;
            } finally {
                lock.unlock();
            }
        }

        private void watch(Runnable callback) {
            while (open) {
                boolean available;
                lock.lock();
                try {
                    available = open && delegate.hasNextAvailable((int) WATCH_SLICE_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    available = false; // a closed or broken stream: the coordinator will see it itself
                } finally {
                    lock.unlock();
                }
                if (available && open) {
                    callback.run();
                    lock.lock();
                    try {
                        // let the coordinator take the events before looking again
                        consumed.await(AFTER_CALLBACK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        return;
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            lock.lock();
            try {
                return delegate.peek();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            lock.lock();
            try {
                boolean available = delegate.hasNextAvailable(timeout, unit);
                if (!available) {
                    consumed.signalAll();
                }
                return available;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            lock.lock();
            try {
                TrackedEventMessage<?> next = delegate.nextAvailable();
                consumed.signalAll();
                return next;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            lock.lock();
            try {
                delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            open = false;
            Thread thread = watcher;
            if (thread != null) {
                thread.interrupt();
            }
            lock.lock();
            try {
                delegate.close();
            } finally {
                lock.unlock();
            }
        }
    }
}
