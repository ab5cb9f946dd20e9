package io.herald.bench.flow;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WaveTest {

    @Test
    void perSecond_countsFromTheFirstToTheLastRequest() {
        Wave wave = new Wave(1_000, 5_000_000_000L, 7_000_000_000L);

        assertThat(wave.seconds()).isEqualTo(2.0);
        assertThat(wave.perSecond()).isEqualTo(500.0);
    }

    @Test
    void perSecond_withoutASpan_isNaN() {
        assertThat(new Wave(1, 10, 10).perSecond()).isNaN();
        assertThat(new Wave(0, Long.MAX_VALUE, Long.MIN_VALUE).perSecond()).isNaN();
    }

    @Test
    void overlapSeconds_isTheTimeBothWavesReceived() {
        Wave first = new Wave(100, 0, 10_000_000_000L);

        assertThat(first.overlapSeconds(new Wave(100, 8_000_000_000L, 20_000_000_000L))).isEqualTo(2.0);
        assertThat(first.overlapSeconds(new Wave(100, 12_000_000_000L, 20_000_000_000L))).isZero();
        assertThat(first.overlapSeconds(new Wave(0, Long.MAX_VALUE, Long.MIN_VALUE))).isZero();
    }

    @Test
    void rank_isTheNearestRank() {
        List<Double> hundred = IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();

        assertThat(Wave.rank(hundred, 0.50)).isEqualTo(50.0);
        assertThat(Wave.rank(hundred, 0.95)).isEqualTo(95.0);
        assertThat(Wave.rank(hundred, 0.99)).isEqualTo(99.0);
        assertThat(Wave.rank(List.of(7.0), 0.99)).isEqualTo(7.0);
        assertThat(Wave.rank(List.of(1.0, 2.0, 3.0), 0.5)).isCloseTo(2.0, within(0.0));
    }

    @Test
    void percentiles_sortsTheValues() {
        assertThat(Wave.percentiles(List.of(30.0, 10.0, 20.0)))
                .isEqualTo("p50 20 ms, p95 30 ms, p99 30 ms, max 30 ms (n=3)");
        assertThat(Wave.percentiles(List.of())).isEqualTo("none");
    }
}
