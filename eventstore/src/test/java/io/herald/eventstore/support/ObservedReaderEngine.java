package io.herald.eventstore.support;

import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Axon's in-memory engine with the ring reader's reads observed: each read that may block (the
 * reader thread's; streams reading on their own read with {@code mayBlock} false) is counted and
 * first runs {@link #onReaderRead}, which a test sets to make the reader fail or hang (until
 * {@link #release()}).
 */
public class ObservedReaderEngine extends InMemoryEventStorageEngine {

    private volatile Runnable onReaderRead = () -> { };
    private final AtomicInteger readerReads = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken token, boolean mayBlock) {
        if (mayBlock) {
            readerReads.incrementAndGet();
            onReaderRead.run();
        }
        return super.readEvents(token, mayBlock).map(e -> new GenericTrackedEventMessage<>(e.trackingToken(), e));
    }

    /** What the reader thread's reads do before reading, from now on. */
    public void onReaderRead(Runnable action) {
        this.onReaderRead = action;
    }

    public int readerReads() {
        return readerReads.get();
    }

    /** Blocks a hanging read until {@link #release()}. */
    public void hang() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void release() {
        release.countDown();
    }
}
