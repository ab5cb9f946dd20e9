package io.herald.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.Message;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An event read from the store, with its position: its global index in {@code domain_event_entry}.
 * <p>
 * A gap-aware token does not say where the event it comes with stands. An event read in order gets a token whose
 * index is its own position ({@code 319, []}), but one that fills a gap gets the token of the stream after it, whose
 * index is the newest one read ({@code 318} read after {@code 319} comes as {@code 319, []}). Only the stream that read
 * it knows which it was, from the token before. {@link RedeliveryGuard} needs the position to tell an event its
 * segment has handled from one it has not; the {@link RingBufferEventStore} attaches it as it reads, and the event
 * keeps it when a processor gives it a token of its own or adds metadata.
 */
public sealed interface PositionedEvent permits PositionedEvent.Domain, PositionedEvent.Plain {

    /** No position: the event did not come from Herald's store with a gap-aware token. */
    long UNKNOWN = -1;

    /** The event's global index. */
    long position();

    /**
     * The event with its position, computed from the token of the stream before it; the event itself when there is
     * no position to give (a token that is not gap-aware).
     */
    static TrackedEventMessage<?> positioned(TrackedEventMessage<?> event, TrackingToken before) {
        if (event instanceof PositionedEvent) {
            return event;
        }
        long position = position(before, event.trackingToken());
        if (position == UNKNOWN) {
            return event;
        }
        return event instanceof DomainEventMessage<?> domainEvent
                ? new Domain<>(event.trackingToken(), domainEvent, position)
                : new Plain<>(event.trackingToken(), event, event::getTimestamp, position);
    }

    /**
     * Where the event that moved a stream from {@code before} to {@code after} stands: the new index when the stream
     * moved forward, or the gap that closed when the index stayed; {@link #UNKNOWN} when that cannot be told (the
     * engine dropped old gaps as this one closed).
     */
    static long position(TrackingToken before, TrackingToken after) {
        if (!(after instanceof GapAwareTrackingToken next)) {
            return UNKNOWN;
        }
        if (!(before instanceof GapAwareTrackingToken previous) || next.getIndex() > previous.getIndex()) {
            return next.getIndex();
        }
        if (next.getIndex() < previous.getIndex()) {
            return UNKNOWN;
        }
        long closed = UNKNOWN;
        for (Long gap : previous.getGaps()) {
            if (!next.getGaps().contains(gap)) {
                if (closed != UNKNOWN) {
                    return UNKNOWN;
                }
                closed = gap;
            }
        }
        return closed;
    }

    /** The position of an event, or {@link #UNKNOWN}. */
    static long positionOf(EventMessage<?> event) {
        return event instanceof PositionedEvent positioned ? positioned.position() : UNKNOWN;
    }

    /** An event of an aggregate, with its position. */
    final class Domain<T> extends GenericTrackedDomainEventMessage<T> implements PositionedEvent {

        private final long position;

        private Domain(TrackingToken token, String type, String aggregateIdentifier, long sequenceNumber,
                       Message<T> delegate, Supplier<Instant> timestamp, long position) {
            super(token, type, aggregateIdentifier, sequenceNumber, delegate, timestamp);
            this.position = position;
        }

        private Domain(TrackingToken token, DomainEventMessage<T> event, long position) {
            this(token, event.getType(), event.getAggregateIdentifier(), event.getSequenceNumber(), event,
                 event::getTimestamp, position);
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public Domain<T> withTrackingToken(TrackingToken trackingToken) {
            return new Domain<>(trackingToken, getType(), getAggregateIdentifier(), getSequenceNumber(), getDelegate(),
                                this::getTimestamp, position);
        }

        @Override
        public Domain<T> withMetaData(Map<String, ?> metaData) {
            return new Domain<>(trackingToken(), getType(), getAggregateIdentifier(), getSequenceNumber(),
                                getDelegate().withMetaData(metaData), this::getTimestamp, position);
        }

        @Override
        public Domain<T> andMetaData(Map<String, ?> metaData) {
            return new Domain<>(trackingToken(), getType(), getAggregateIdentifier(), getSequenceNumber(),
                                getDelegate().andMetaData(metaData), this::getTimestamp, position);
        }

        @Override
        protected void describeTo(StringBuilder stringBuilder) {
            super.describeTo(stringBuilder);
            stringBuilder.append(", position=").append(position);
        }
    }

    /** An event published outside an aggregate, with its position. */
    final class Plain<T> extends GenericTrackedEventMessage<T> implements PositionedEvent {

        private final long position;

        private Plain(TrackingToken token, Message<T> delegate, Supplier<Instant> timestamp, long position) {
            super(token, delegate, timestamp);
            this.position = position;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public Plain<T> withTrackingToken(TrackingToken trackingToken) {
            return new Plain<>(trackingToken, getDelegate(), this::getTimestamp, position);
        }

        @Override
        public Plain<T> withMetaData(Map<String, ?> metaData) {
            return new Plain<>(trackingToken(), getDelegate().withMetaData(metaData), this::getTimestamp, position);
        }

        @Override
        public Plain<T> andMetaData(Map<String, ?> metaData) {
            return new Plain<>(trackingToken(), getDelegate().andMetaData(metaData), this::getTimestamp, position);
        }

        @Override
        protected void describeTo(StringBuilder stringBuilder) {
            super.describeTo(stringBuilder);
            stringBuilder.append(", position=").append(position);
        }
    }
}
