package io.herald.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CaseResultTest {

    @Test
    void median_ofOddAndEvenCounts_ignoringMissingValues() {
        assertThat(CaseResult.median(List.of(3.0, 1.0, 2.0), Double::doubleValue)).isEqualTo(2.0);
        assertThat(CaseResult.median(List.of(4.0, 1.0, 3.0, 2.0), Double::doubleValue)).isEqualTo(2.5);
        assertThat(CaseResult.median(List.of(Double.NaN, 5.0), Double::doubleValue)).isEqualTo(5.0);
        assertThat(CaseResult.median(List.<Double>of(), Double::doubleValue)).isNaN();
    }
}
