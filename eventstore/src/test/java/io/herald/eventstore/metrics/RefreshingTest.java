package io.herald.eventstore.metrics;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshingTest {

    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-07T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void readsAtMostOncePerInterval_howeverOftenItIsAsked() {
        TestClock clock = new TestClock();
        AtomicInteger reads = new AtomicInteger();
        Refreshing<Integer> value = new Refreshing<>("test", reads::incrementAndGet, Duration.ofSeconds(5), clock);

        assertThat(value.get()).isEqualTo(1);
        clock.now = clock.now.plusMillis(4999);
        assertThat(value.get()).isEqualTo(1);
        assertThat(value.number(Integer::doubleValue)).isEqualTo(1.0);
        clock.now = clock.now.plusMillis(1);
        assertThat(value.get()).isEqualTo(2);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedRead_keepsTheLastValue_andIsNotRetriedBeforeTheInterval() {
        TestClock clock = new TestClock();
        AtomicInteger reads = new AtomicInteger();
        boolean[] failing = {false};
        Refreshing<Integer> value = new Refreshing<>("test", () -> {
            reads.incrementAndGet();
            if (failing[0]) {
                throw new IllegalStateException("database down");
            }
            return 7;
        }, Duration.ofSeconds(5), clock);
        assertThat(value.get()).isEqualTo(7);

        failing[0] = true;
        clock.now = clock.now.plusSeconds(5);
        assertThat(value.get()).isEqualTo(7);
        assertThat(value.get()).isEqualTo(7);
        assertThat(reads).hasValue(2);

        failing[0] = false;
        clock.now = clock.now.plusSeconds(5);
        assertThat(value.get()).isEqualTo(7);
        assertThat(reads).hasValue(3);
    }

    @Test
    void neverRead_isNaN() {
        Refreshing<Integer> value = new Refreshing<>("test", () -> {
            throw new IllegalStateException("no table");
        }, Duration.ofSeconds(5), new TestClock());
        assertThat(value.get()).isNull();
        assertThat(value.number(Integer::doubleValue)).isNaN();
    }
}
