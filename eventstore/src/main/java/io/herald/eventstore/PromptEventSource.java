package io.herald.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;

/**
 * The event store as the source of the pooled streaming processors, with prompt wake-ups.
 * <p>
 * A pooled processor's coordinator never waits on its stream: it asks {@code hasNextAvailable()}
 * without a timeout, and when nothing is there it asks the stream to call back once events become
 * available ({@link BlockingStream#setOnAvailableCallback}); a stream that cannot leaves it looking
 * every 500 ms, and every projection (and every read-your-writes response) lagging by up to that
 * much. The {@link RingBufferEventStore}'s streams call back themselves: its reader thread calls
 * every stream that has found nothing since its last call back as soon as it places events in its
 * ring, events committed by this instance (woken by the commit) and by other instances (found every
 * {@code fetchDelay}) alike, and holds no lock while it does. No thread per stream waits for events,
 * and the coordinator is the only one that reads its stream.
 * <p>
 * The streams also leave out the event types their processor has said it cannot handle
 * ({@link TypeSkippingStream}), which the event store does not do by itself.
 */
public final class PromptEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final EventStore eventStore;

    public PromptEventSource(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new TypeSkippingStream(eventStore.openStream(trackingToken));
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
}
