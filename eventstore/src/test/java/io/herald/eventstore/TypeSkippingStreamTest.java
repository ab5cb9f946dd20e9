package io.herald.eventstore;

import io.herald.eventstore.support.Outcome;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypeSkippingStreamTest {

    record Wanted(int n) {
    }

    record Ignored(int n) {
    }

    /** A stream over a list that grows while it is read, as the event store's does. */
    static final class ListStream implements BlockingStream<TrackedEventMessage<?>> {
        final Deque<TrackedEventMessage<?>> events = new ArrayDeque<>();
        long position;
        int skipHints;
        /** Like the event store's stream once the store has shut down: nothing available, nextAvailable fails. */
        volatile boolean shutDown;

        void append(Object... payloads) {
            for (Object payload : payloads) {
                events.add(new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(position++),
                                                            GenericEventMessage.asEventMessage(payload)));
            }
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return Optional.ofNullable(events.peek());
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) {
            return !shutDown && !events.isEmpty();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() {
            if (shutDown) {
                throw new IllegalStateException("The event store has been shut down");
            }
            return events.remove();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            skipHints++;
        }

        @Override
        public void close() {
        }
    }

    private static List<Object> drain(TypeSkippingStream stream) throws InterruptedException {
        List<Object> out = new ArrayList<>();
        while (stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)) {
            Object peeked = stream.peek().orElseThrow().getPayload();
            Object next = stream.nextAvailable().getPayload();
            assertThat(next).isSameAs(peeked);
            out.add(next);
        }
        return out;
    }

    @Test
    void deliversEverythingUntilTheProcessorNamesATypeItIgnores() throws Exception {
        ListStream source = new ListStream();
        TypeSkippingStream stream = new TypeSkippingStream(source);
        source.append(new Wanted(1), new Ignored(1), new Ignored(2), new Wanted(2));

        assertThat(drain(stream)).containsExactly(new Wanted(1), new Ignored(1), new Ignored(2), new Wanted(2));
    }

    @Test
    void leavesOutIgnoredTypesButDeliversTheLastOfARunSoThePositionMoves() throws Exception {
        ListStream source = new ListStream();
        TypeSkippingStream stream = new TypeSkippingStream(source);
        source.append(new Ignored(0));
        TrackedEventMessage<?> first = stream.nextAvailable();
        stream.skipMessagesWithPayloadTypeOf(first);
        assertThat(source.skipHints).isEqualTo(1);

        source.append(new Ignored(1), new Ignored(2), new Wanted(1), new Ignored(3), new Ignored(4), new Ignored(5));
        List<TrackedEventMessage<?>> delivered = new ArrayList<>();
        while (stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)) {
            delivered.add(stream.nextAvailable());
        }

        // Ignored 1 and 2 are followed by a wanted event (whose token covers them); 3–5 end the run: 5 is delivered
        assertThat(delivered.stream().map(m -> (Object) m.getPayload()).toList())
                .containsExactly(new Wanted(1), new Ignored(5));
        assertThat(delivered.get(1).trackingToken()).isEqualTo(new GlobalSequenceTrackingToken(6));
    }

    @Test
    void aLongRunOfIgnoredEventsLetsOneInAThousandThrough() throws Exception {
        ListStream source = new ListStream();
        TypeSkippingStream stream = new TypeSkippingStream(source);
        source.append(new Ignored(-1));
        stream.skipMessagesWithPayloadTypeOf(stream.nextAvailable());

        for (int i = 0; i < 2 * TypeSkippingStream.PASS_EVERY + 10; i++) {
            source.append(new Ignored(i));
        }
        source.append(new Wanted(1));

        assertThat(drain(stream)).containsExactly(new Ignored(TypeSkippingStream.PASS_EVERY - 1),
                                                  new Ignored(2 * TypeSkippingStream.PASS_EVERY - 1), new Wanted(1));
    }

    @Test
    void anEmptySourceIsEmptyAndPeekTakesNothing() throws Exception {
        ListStream source = new ListStream();
        TypeSkippingStream stream = new TypeSkippingStream(source);

        assertThat(stream.peek()).isEmpty();
        assertThat(stream.hasNextAvailable(1, TimeUnit.MILLISECONDS)).isFalse();
        source.append(new Wanted(7));
        assertThat(stream.peek().map(m -> (Object) m.getPayload())).contains(new Wanted(7));
        assertThat(source.events).isEmpty();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(new Wanted(7));
    }

    @Test
    void nextAvailable_onAStreamWhoseStoreHasShutDown_failsInsteadOfSpinning() throws Exception {
        ListStream source = new ListStream();
        TypeSkippingStream stream = new TypeSkippingStream(source);
        source.shutDown = true;
        CompletableFuture<Throwable> outcome = Outcome.ofCall(stream::nextAvailable); // before the fix it spins for ever
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aClosedStream_deliversNothingMore() throws Exception {
        ListStream source = new ListStream();
        TypeSkippingStream stream = new TypeSkippingStream(source);
        source.append(new Wanted(1), new Wanted(2));
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isTrue();
        stream.close();

        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.peek()).isEmpty();
        assertThatThrownBy(stream::nextAvailable).isInstanceOf(IllegalStateException.class);
    }
}
