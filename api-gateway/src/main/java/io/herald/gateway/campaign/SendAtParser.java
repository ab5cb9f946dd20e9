package io.herald.gateway.campaign;

import io.herald.api.common.DomainException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** Reads a schedule request's time and zone into an instant, naming the failing field when it cannot. */
final class SendAtParser {

    private SendAtParser() {
    }

    static ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone.strip());
        } catch (DateTimeException e) {
            throw DomainException.invalid("timeZone", "campaign.schedule.invalid-time-zone",
                                          "timeZone must be an IANA time zone such as Europe/Paris");
        }
    }

    static Instant instant(String sendAt, ZoneId zone) {
        String text = sendAt.strip();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                // a local date-time in the campaign's zone; in a DST gap it moves forward, in an overlap the earlier
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                throw DomainException.invalid("sendAt", "campaign.schedule.invalid-send-at",
                                              "sendAt must be an ISO-8601 date-time such as 2026-12-01T09:00");
            }
        }
    }
}
