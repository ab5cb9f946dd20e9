package io.herald.saga.flow;

import io.herald.api.flow.FlowNode;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WaitTimesTest {

    private static FlowNode.Wait duration(String duration) {
        return new FlowNode.Wait("w", duration, null, null, null, null, "n");
    }

    private static FlowNode.Wait timeOfDay(String time, List<DayOfWeek> days) {
        return new FlowNode.Wait("w", null, time, days, null, null, "n");
    }

    private static FlowNode.Wait date(String attribute, String offset) {
        return new FlowNode.Wait("w", null, null, null, attribute, offset, "n");
    }

    @Test
    void duration_isAddedToTheTimeTheNodeIsReached() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        assertThat(WaitTimes.of(duration("PT1H"), now, null, null, Map.of()).until())
                .isEqualTo(Instant.parse("2026-12-07T11:00:00Z"));
        assertThat(WaitTimes.of(duration("P2D"), now, null, null, Map.of()).until())
                .isEqualTo(Instant.parse("2026-12-09T10:00:00Z"));
    }

    @Test
    void timeOfDay_laterToday_inTheContactsZone() {
        // 08:00 UTC = 09:00 in Paris (winter): 10:00 Paris is today at 09:00 UTC
        Instant now = Instant.parse("2026-12-07T08:00:00Z");
        assertThat(WaitTimes.of(timeOfDay("10:00", null), now, "Europe/Paris", "America/New_York", Map.of()).until())
                .isEqualTo(Instant.parse("2026-12-07T09:00:00Z"));
    }

    @Test
    void timeOfDay_alreadyPassedToday_isTomorrow() {
        Instant now = Instant.parse("2026-12-07T12:00:00Z"); // 13:00 in Paris
        assertThat(WaitTimes.of(timeOfDay("10:00", null), now, "Europe/Paris", null, Map.of()).until())
                .isEqualTo(Instant.parse("2026-12-08T09:00:00Z"));
    }

    @Test
    void timeOfDay_withoutAContactZone_usesTheFlowsZone_thenUtc() {
        Instant now = Instant.parse("2026-12-07T00:00:00Z");
        assertThat(WaitTimes.of(timeOfDay("09:00", null), now, null, "America/New_York", Map.of()).until())
                .isEqualTo(Instant.parse("2026-12-07T14:00:00Z"));
        assertThat(WaitTimes.of(timeOfDay("09:00", null), now, "Not/AZone", null, Map.of()).until())
                .isEqualTo(Instant.parse("2026-12-07T09:00:00Z"));
    }

    @Test
    void timeOfDay_onWeekdays_skipsToTheNextAllowedDay() {
        // Saturday 2026-12-05 12:00 UTC; Mondays only at 09:00 Tokyo = Monday 2026-12-07 00:00 UTC
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        assertThat(WaitTimes.of(timeOfDay("09:00", List.of(DayOfWeek.MONDAY)), now, "Asia/Tokyo", null, Map.of())
                           .until()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
    }

    @Test
    void timeOfDay_acrossTheSpringForwardGap_isJustAfterTheGap() {
        // Paris 2026-03-29: 02:00 → 03:00. A wait for 02:30 that day fires at 03:30 local = 01:30 UTC
        Instant now = Instant.parse("2026-03-28T23:00:00Z");
        assertThat(WaitTimes.nextTimeOfDay(now, LocalTime.of(2, 30), null, ZoneId.of("Europe/Paris")))
                .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        // 09:00 the day after the change is at +02:00
        Instant sunday = Instant.parse("2026-03-29T12:00:00Z");
        assertThat(WaitTimes.nextTimeOfDay(sunday, LocalTime.of(9, 0), null, ZoneId.of("Europe/Paris")))
                .isEqualTo(Instant.parse("2026-03-30T07:00:00Z"));
    }

    @Test
    void timeOfDay_inTheFallBackOverlap_isTheFirstOccurrence() {
        // Paris 2026-10-25: 03:00 → 02:00. 02:30 happens twice; the first is at +02:00 = 00:30 UTC
        Instant now = Instant.parse("2026-10-24T22:00:00Z");
        assertThat(WaitTimes.nextTimeOfDay(now, LocalTime.of(2, 30), null, ZoneId.of("Europe/Paris")))
                .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    }

    @Test
    void timeOfDay_isNeverBeforeNow() {
        Instant now = Instant.parse("2026-12-07T09:00:00Z");
        assertThat(WaitTimes.nextTimeOfDay(now, LocalTime.of(9, 0), null, ZoneId.of("UTC"))).isEqualTo(now);
    }

    @Test
    void dateAttribute_withANegativeOffset_isBeforeTheDate_inTheContactsZone() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        WaitTimes.Until until = WaitTimes.of(date("renewal", "-P1D"), now, "Europe/Paris", null,
                                             Map.of("renewal", "2026-12-24"));
        // midnight of the 24th in Paris (23:00 UTC on the 23rd), one day earlier
        assertThat(until.until()).isEqualTo(Instant.parse("2026-12-22T23:00:00Z"));
        assertThat(WaitTimes.of(date("renewal", "PT9H"), now, null, null,
                                Map.of("renewal", "2026-12-24T00:00:00Z")).until())
                .isEqualTo(Instant.parse("2026-12-24T09:00:00Z"));
    }

    @Test
    void dateAttribute_missingOrNotADate_doesNotWait_andSaysWhy() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        WaitTimes.Until missing = WaitTimes.of(date("renewal", null), now, null, null, Map.of());
        assertThat(missing.until()).isNull();
        assertThat(missing.why()).contains("missing");
        WaitTimes.Until bad = WaitTimes.of(date("renewal", null), now, null, null, Map.of("renewal", "soon"));
        assertThat(bad.until()).isNull();
        assertThat(bad.why()).contains("not a date");
    }
}
