package io.herald.eventstore;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventStorePropertiesTest {

    @Test
    void unset_takesTheDocumentedDefaults() {
        EventStoreProperties defaults = new EventStoreProperties(null, null, null, null);
        assertThat(defaults.engine()).isEqualTo("jdbc");
        assertThat(defaults.fetchDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(defaults.cachedEvents()).isEqualTo(1000);
        assertThat(defaults.fetchBatchSize()).isEqualTo(1000);
    }

    @Test
    void aFetchDelayOfZeroOrLess_isRefused_namingTheSetting() {
        assertThatThrownBy(() -> new EventStoreProperties(null, Duration.ZERO, null, null))
                .hasMessageContaining("herald.event-store.fetch-delay");
        assertThatThrownBy(() -> new EventStoreProperties(null, Duration.ofMillis(-5), null, null))
                .hasMessageContaining("herald.event-store.fetch-delay");
    }

    @Test
    void aRingOfAFewSlots_isRefused_namingTheSetting() {
        for (int slots : new int[] {-1, 0, 1, 2, EventStoreProperties.MIN_CACHED_EVENTS - 1}) {
            assertThatThrownBy(() -> new EventStoreProperties(null, null, slots, null))
                    .as("%d slots", slots).hasMessageContaining("herald.event-store.cached-events");
        }
        assertThat(new EventStoreProperties(null, null, EventStoreProperties.MIN_CACHED_EVENTS, null).cachedEvents())
                .isEqualTo(EventStoreProperties.MIN_CACHED_EVENTS);
    }

    @Test
    void anUnknownEngineOrAnEmptyFetchBatch_isRefused() {
        assertThatThrownBy(() -> new EventStoreProperties("mongo", null, null, null))
                .hasMessageContaining("herald.event-store.engine");
        assertThatThrownBy(() -> new EventStoreProperties(null, null, null, 0))
                .hasMessageContaining("herald.event-store.fetch-batch-size");
    }

    @Test
    void theRingItself_refusesOneOrTwoSlots_andANonPositiveFetchDelay() {
        for (int slots : new int[] {0, 1, 2}) {
            assertThatThrownBy(() -> RingBufferEventStore.builder().cachedEvents(slots))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> RingBufferEventStore.builder().fetchDelay(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RingBufferEventStore.builder().fetchDelay(null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
