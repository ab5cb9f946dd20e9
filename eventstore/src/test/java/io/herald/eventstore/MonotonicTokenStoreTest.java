package io.herald.eventstore;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MonotonicTokenStoreTest {

    private static final String PROCESSOR = "probe";

    private static GapAwareTrackingToken token(long index, Long... gaps) {
        return new GapAwareTrackingToken(index, List.of(gaps));
    }

    private final InMemoryTokenStore memory = new InMemoryTokenStore();
    private final MonotonicTokenStore store = new MonotonicTokenStore(memory);

    private void stored(TrackingToken token) {
        memory.initializeTokenSegments(PROCESSOR, 1, null);
        memory.fetchToken(PROCESSOR, 0);
        memory.storeToken(token, PROCESSOR, 0);
        memory.releaseClaim(PROCESSOR, 0);
    }

    @Test
    void aLowerTokenStoredAfterTheClaim_isRaisedToWhatTheSegmentHadHandled() {
        stored(token(319, 318L));
        assertThat(store.fetchToken(PROCESSOR, 0)).isEqualTo(token(319, 318L));

        store.storeToken(token(318), PROCESSOR, 0); // the gap 318 handled, from a stream that started lower

        assertThat(memory.fetchToken(PROCESSOR, 0)).isEqualTo(token(319));
        assertThat(store.committed(PROCESSOR, 0)).isEqualTo(token(319));
    }

    @Test
    void aTokenThatCoversTheCommittedOne_isStoredAsGiven() {
        stored(token(319, 318L));
        store.fetchToken(PROCESSOR, 0);
        TrackingToken later = token(325, 321L);
        store.storeToken(later, PROCESSOR, 0);
        assertThat(memory.fetchToken(PROCESSOR, 0)).isSameAs(later);
    }

    @Test
    void aReplayGoesBack_andWhatIsCommittedIsItsCurrentPosition() {
        stored(token(400));
        store.fetchToken(PROCESSOR, 0);
        TrackingToken replay = ReplayToken.createReplayToken(token(400), token(10));
        store.storeToken(replay, PROCESSOR, 0);
        assertThat(memory.fetchToken(PROCESSOR, 0)).isSameAs(replay);
        assertThat(store.committed(PROCESSOR, 0)).isEqualTo(token(10));
    }

    @Test
    void releasingTheClaim_forgetsWhatWasCommitted() {
        stored(token(5));
        store.fetchToken(PROCESSOR, 0);
        store.releaseClaim(PROCESSOR, 0);
        assertThat(store.committed(PROCESSOR, 0)).isNull();
        store.storeToken(token(3), PROCESSOR, 0); // nothing known: as given
        assertThat(memory.fetchToken(PROCESSOR, 0)).isEqualTo(token(3));
    }

    @Test
    void tokensOfOtherKinds_areComparedOnlyWithTheirKind() {
        assertThat(MonotonicTokenStore.notBelow(new GlobalSequenceTrackingToken(9), new GlobalSequenceTrackingToken(4)))
                .isEqualTo(new GlobalSequenceTrackingToken(9));
        TrackingToken given = token(4);
        assertThat(MonotonicTokenStore.notBelow(new GlobalSequenceTrackingToken(9), given)).isSameAs(given);
        assertThat(MonotonicTokenStore.notBelow(null, given)).isSameAs(given);
    }

    @Test
    void anEventsPosition_isTheNewIndex_orTheGapThatClosed() {
        assertThat(PositionedEvent.position(token(317), token(319, 318L))).isEqualTo(319);
        assertThat(PositionedEvent.position(token(319, 318L), token(319))).isEqualTo(318);
        assertThat(PositionedEvent.position(null, token(7))).isEqualTo(7);
        // two gaps gone at once (the engine dropped one it had waited on too long): cannot tell which was read
        assertThat(PositionedEvent.position(token(330, 325L, 327L), token(330)))
                .isEqualTo(PositionedEvent.UNKNOWN);
        assertThat(PositionedEvent.position(token(3), new GlobalSequenceTrackingToken(4)))
                .isEqualTo(PositionedEvent.UNKNOWN);
    }

    @Test
    void aPositionedEvent_keepsItsPosition_whenGivenAnotherTokenOrMetaData() {
        TrackedEventMessage<?> read = new GenericTrackedDomainEventMessage<>(token(319),
                new GenericDomainEventMessage<>("Probe", "a-1", 0, "payload"));
        TrackedEventMessage<?> positioned = PositionedEvent.positioned(read, token(319, 318L));
        assertThat(PositionedEvent.positionOf(positioned)).isEqualTo(318);
        EventMessage<?> moved = positioned.withTrackingToken(ReplayToken.createReplayToken(token(400), token(319)))
                .andMetaData(Map.of("k", "v"));
        assertThat(PositionedEvent.positionOf(moved)).isEqualTo(318);
        assertThat(moved.getPayload()).isEqualTo("payload");
        assertThat(moved.getIdentifier()).isEqualTo(read.getIdentifier());
        assertThat(moved.getMetaData()).containsEntry("k", "v");
        assertThat(PositionedEvent.positionOf(read)).isEqualTo(PositionedEvent.UNKNOWN);

        TrackedEventMessage<?> plain = PositionedEvent.positioned(new GenericTrackedEventMessage<>(token(20, 18L),
                GenericEventMessage.asEventMessage("published")), token(17));
        assertThat(PositionedEvent.positionOf(plain.withTrackingToken(token(21)).withMetaData(Map.of()))).isEqualTo(20);
        assertThat(plain.getPayload()).isEqualTo("published");
    }

    @Test
    void theGuardJudgesByPosition() {
        assertThat(RedeliveryGuard.covers(token(319, 318L), 319)).isTrue();
        assertThat(RedeliveryGuard.covers(token(319, 318L), 318)).isFalse();
        assertThat(RedeliveryGuard.covers(token(319, 318L), 320)).isFalse();
        assertThat(RedeliveryGuard.covers(null, 1)).isFalse();
    }
}
