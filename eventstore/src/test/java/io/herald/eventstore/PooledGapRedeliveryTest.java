package io.herald.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins a behaviour of Axon 4.13's pooled streaming processor that breaks "once per processing group" (Hardening,
 * item 3; {@code HandledOncePerGroupIT} caught it once under load): a segment whose stored token has a gap
 * ({@code index 319, gaps [318]}) handles event 319 a second time when the gap is filled while the coordinator's
 * stream starts lower, at another segment's token ({@code 317}). The stream delivers 318 as {@code (318, [])}, which
 * the segment's token does not cover (318 was a gap: right to handle it), and the work package then takes that lower
 * token as the last one delivered, so 319, delivered as {@code (319, [])}, is not covered either.
 * <p>
 * The source here emits tokens the way a JDBC storage engine advances them, and events with their positions as
 * Herald's store does. The first test pins Axon's behaviour (when an Axon version no longer does it, it fails: then
 * the guard may go); the others show that Herald's {@link RedeliveryGuard} with its {@link MonotonicTokenStore}, which
 * every Herald processor has, lets 319 through once only, and never holds back the gap itself.
 */
class PooledGapRedeliveryTest {

    private static final String PROCESSOR = "gap-probe";

    @Test
    void axon413_handlesAnEventAgain_whenAGapBeforeItIsFilledBelowAnotherSegmentsToken() {
        List<Object> handled = run(false, 318, 319);
        // Axon alone: 318 (the gap, rightly) and 319 (handled before the move: a second time)
        assertThat(handled).containsExactly("e318", "e319");
    }

    @Test
    void withTheRedeliveryGuard_theGapIsHandled_andNothingAgain() {
        List<Object> handled = run(true, 318, 319);
        assertThat(handled).containsExactly("e318");
    }

    /**
     * The gap commits after the stream has read past it: the stream reads 319 as {@code (319, [318])} (covered: Axon
     * skips it) and 318 as {@code (319, [])}, a token whose index is not the event's position. The guard must judge
     * 318 by its position, or it would take it for 319 and lose it.
     */
    @Test
    void withTheRedeliveryGuard_aGapFilledAfterTheStreamReadPastIt_isHandled() {
        assertThat(run(false, 319, 318)).containsExactly("e318");
        assertThat(run(true, 319, 318)).containsExactly("e318");
    }

    /** {@code readOrder}: the positions in the order the stream reads them (commit order). */
    private List<Object> run(boolean guarded, long... readOrder) {
        String aggregate = aggregateIn(1, 2);
        List<TrackedEventMessage<?>> stored = new ArrayList<>();
        for (long position : readOrder) {
            stored.add(event(position, aggregate, position - 318));
        }
        InMemoryTokenStore memory = new InMemoryTokenStore();
        memory.initializeTokenSegments(PROCESSOR, 2, null);
        store(memory, 0, new GapAwareTrackingToken(317, List.of()));
        store(memory, 1, new GapAwareTrackingToken(319, List.of(318L))); // 319 handled, 318 not committed then
        MonotonicTokenStore tokens = new MonotonicTokenStore(memory);

        List<Object> handled = new CopyOnWriteArrayList<>();
        Object handler = new Object() {
            @EventHandler
            void on(String payload) {
                handled.add(payload);
            }
        };
        ScheduledExecutorService coordinator = Executors.newSingleThreadScheduledExecutor();
        ScheduledExecutorService workers = Executors.newScheduledThreadPool(2);
        PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                .name(PROCESSOR)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(handler).build())
                .messageSource(new ListSource(stored))
                .tokenStore(tokens)
                .transactionManager(NoTransactionManager.INSTANCE)
                .coordinatorExecutor(coordinator)
                .workerExecutor(workers)
                .initialSegmentCount(2)
                .build();
        if (guarded) {
            processor.registerHandlerInterceptor(new RedeliveryGuard(PROCESSOR, tokens));
        }
        try {
            processor.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("e318"));
            // both events were delivered (the stream holds two): the token stored after them says so
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                TrackingToken token = memory.fetchToken(PROCESSOR, 1);
                return token != null && token.covers(new GapAwareTrackingToken(319, List.of()));
            });
        } finally {
            processor.shutDown();
            coordinator.shutdownNow();
            workers.shutdownNow();
        }
        return handled;
    }

    private static void store(InMemoryTokenStore tokens, int segment, TrackingToken token) {
        tokens.fetchToken(PROCESSOR, segment);
        tokens.storeToken(token, PROCESSOR, segment);
        tokens.releaseClaim(PROCESSOR, segment);
    }

    /** An aggregate id that the default sequencing policy puts in the given segment of {@code count}. */
    private static String aggregateIn(int segment, int count) {
        Segment target = Segment.splitBalanced(Segment.ROOT_SEGMENT, count - 1).get(segment);
        for (int i = 0; ; i++) {
            if (target.matches("aggregate-" + i)) {
                return "aggregate-" + i;
            }
        }
    }

    private static TrackedEventMessage<?> event(long position, String aggregate, long sequence) {
        return new GenericTrackedDomainEventMessage<>(new GapAwareTrackingToken(position, List.of()),
                new GenericDomainEventMessage<>("Probe", aggregate, sequence, "e" + position));
    }

    /** The stored events from a token on, each with the token advanced as a JDBC storage engine advances it. */
    private record ListSource(List<TrackedEventMessage<?>> stored) implements StreamableMessageSource<TrackedEventMessage<?>> {

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken start) {
            GapAwareTrackingToken token = (GapAwareTrackingToken) start;
            List<TrackedEventMessage<?>> events = new ArrayList<>();
            for (TrackedEventMessage<?> event : stored) {
                long position = event.trackingToken().position().orElseThrow();
                if (token == null || position > token.getIndex() || token.getGaps().contains(position)) {
                    GapAwareTrackingToken before = token;
                    token = token == null ? new GapAwareTrackingToken(position, List.of()) : token.advanceTo(position, 10_000);
                    // as Herald's store gives it: with its position
                    events.add(PositionedEvent.positioned(
                            new GenericTrackedDomainEventMessage<>(token, (GenericDomainEventMessage<?>) event), before));
                }
            }
            return new ListStream(events.iterator());
        }

        @Override
        public TrackingToken createTailToken() {
            return null;
        }

        @Override
        public TrackingToken createHeadToken() {
            return new GapAwareTrackingToken(319, List.of());
        }

        @Override
        public TrackingToken createTokenAt(Instant dateTime) {
            return null;
        }
    }

    private static final class ListStream implements BlockingStream<TrackedEventMessage<?>> {

        private final Iterator<TrackedEventMessage<?>> events;
        private TrackedEventMessage<?> peeked;

        ListStream(Iterator<TrackedEventMessage<?>> events) {
            this.events = events;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            if (peeked == null && events.hasNext()) {
                peeked = events.next();
            }
            return Optional.ofNullable(peeked);
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) {
            if (peek().isPresent()) {
                return true;
            }
            try {
                unit.sleep(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() {
            TrackedEventMessage<?> next = peek().orElseThrow();
            peeked = null;
            return next;
        }

        @Override
        public void close() {
        }
    }
}
