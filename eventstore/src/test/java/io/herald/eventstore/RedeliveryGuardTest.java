package io.herald.eventstore;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedeliveryGuardTest {

    private static GapAwareTrackingToken at(long index, Long... gaps) {
        return new GapAwareTrackingToken(index, List.of(gaps));
    }

    @Test
    void anEventBeyondTheStoredIndex_orInOneOfItsGaps_isNew() {
        assertThat(RedeliveryGuard.seen(at(319, 318L), at(320))).isFalse();
        assertThat(RedeliveryGuard.seen(at(319, 318L), at(318))).isFalse();
        assertThat(RedeliveryGuard.seen(null, at(1))).isFalse();
    }

    @Test
    void anEventAtOrBelowTheStoredIndex_notInAGap_wasSeen_whateverTheGapsOfItsOwnToken() {
        assertThat(RedeliveryGuard.seen(at(319, 318L), at(319))).isTrue();
        assertThat(RedeliveryGuard.seen(at(319, 318L), at(317))).isTrue();
        assertThat(RedeliveryGuard.seen(at(319), at(319, 300L))).isTrue();
    }

    @Test
    void aReplay_isJudgedByItsCurrentPosition_notByThePositionOfTheReset() {
        ReplayToken replay = (ReplayToken) ReplayToken.createReplayToken(at(500), at(100));
        assertThat(RedeliveryGuard.seen(replay, at(101))).isFalse();
        assertThat(RedeliveryGuard.seen(replay, at(100))).isTrue();
        ReplayToken fromStart = (ReplayToken) ReplayToken.createReplayToken(at(500), null);
        assertThat(RedeliveryGuard.seen(fromStart, at(1))).isFalse();
    }

    @Test
    void otherTokens_useTheirOwnCovers() {
        assertThat(RedeliveryGuard.seen(new GlobalSequenceTrackingToken(10), new GlobalSequenceTrackingToken(10))).isTrue();
        assertThat(RedeliveryGuard.seen(new GlobalSequenceTrackingToken(10), new GlobalSequenceTrackingToken(11))).isFalse();
    }
}
