package io.herald.saga.flow;

import io.herald.api.flow.FlowNode;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * When a wait node lets a run go on: pure functions of the node, the time it is reached and the contact.
 * A time of day is the contact's local time (its {@code timeZone}, else the flow's, else UTC); a local
 * time that does not exist that day (a DST gap) is the instant just after the gap, a time that exists twice
 * (a DST overlap) the first of the two.
 */
final class WaitTimes {

    private WaitTimes() {
    }

    /** When the wait ends and why (for the decision log); {@code until} null: no wait (e.g. a missing date). */
    record Until(Instant until, String why) {
    }

    static Until of(FlowNode.Wait wait, Instant now, String contactZone, String flowZone,
                    Map<String, Object> attributes) {
        if (wait.duration() != null) {
            Duration duration = Duration.parse(wait.duration());
            return new Until(now.plus(duration), "waiting " + wait.duration());
        }
        ZoneId zone = zone(contactZone, flowZone);
        if (wait.timeOfDay() != null) {
            Instant until = nextTimeOfDay(now, LocalTime.parse(wait.timeOfDay()), wait.weekdays(), zone);
            return new Until(until, "waiting until " + wait.timeOfDay() + (wait.weekdays() == null
                    || wait.weekdays().isEmpty() ? "" : " on " + wait.weekdays()) + " in " + zone.getId());
        }
        if (wait.dateAttribute() != null) {
            Object value = attributes == null ? null : attributes.get(wait.dateAttribute());
            Instant date = value == null ? null : date(value.toString(), zone);
            if (date == null) {
                return new Until(null, "date attribute '" + wait.dateAttribute() + "' "
                        + (value == null ? "missing" : "not a date (" + value + ")") + ": not waiting");
            }
            Instant until = plus(date, wait.offset(), zone);
            return new Until(until, "waiting until " + wait.dateAttribute() + " (" + value + ")"
                    + (wait.offset() == null ? "" : " " + wait.offset()));
        }
        return new Until(null, "wait without duration, time of day or date: not waiting");
    }

    /** The contact's zone, else the flow's, else UTC (an unknown id counts as absent). */
    static ZoneId zone(String contactZone, String flowZone) {
        for (String id : new String[] {contactZone, flowZone}) {
            if (id != null && !id.isBlank()) {
                try {
                    return ZoneId.of(id);
                } catch (DateTimeException ignored) {
                    // the next one
                }
            }
        }
        return ZoneOffset.UTC;
    }

    /** The first instant at or after {@code now} whose local time in {@code zone} is {@code time} on an allowed day. */
    static Instant nextTimeOfDay(Instant now, LocalTime time, List<DayOfWeek> weekdays, ZoneId zone) {
        LocalDate day = now.atZone(zone).toLocalDate();
        for (int i = 0; i < 9; i++, day = day.plusDays(1)) {
            if (weekdays != null && !weekdays.isEmpty() && !weekdays.contains(day.getDayOfWeek())) {
                continue;
            }
            // ZonedDateTime.of: in a gap, later by the gap's length; in an overlap, the earlier offset
            Instant candidate = ZonedDateTime.of(day, time, zone).toInstant();
            if (!candidate.isBefore(now)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no day in 9 days matches " + weekdays);
    }

    /** A date attribute: an instant with an offset, a local date-time or a date (midnight) in {@code zone}. */
    static Instant date(String text, ZoneId zone) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException ignored) {
            // not with an offset
        }
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(text).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }

    /** {@code date} plus an ISO-8601 offset: a period ({@code -P1D}, calendar days in the zone) or a duration. */
    static Instant plus(Instant date, String offset, ZoneId zone) {
        if (offset == null || offset.isBlank()) {
            return date;
        }
        try {
            return date.plus(Duration.parse(offset));
        } catch (DateTimeParseException ignored) {
            return date.atZone(zone).plus(Period.parse(offset)).toInstant();
        }
    }
}
