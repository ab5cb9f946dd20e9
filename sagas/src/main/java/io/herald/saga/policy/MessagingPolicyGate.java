package io.herald.saga.policy;

import io.herald.api.campaign.Channel;
import io.herald.api.policy.FindMessagingPolicyQuery;
import io.herald.api.policy.MessagingPolicy;
import io.herald.api.policy.MessagingPolicyView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Date;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * The messaging policy at send time, for campaigns and flows alike: quiet hours (a message due inside the window is
 * held until it ends) and frequency caps (a message over the cap is skipped with reason {@code frequency-cap}).
 * While a channel has a cap, every non-transactional send on it is counted per contact and calendar day of the
 * contact's zone ({@code contact_message_count}); without one nothing is counted (a cap counts from when it is set). Checking and counting happen in the
 * caller's transaction under an advisory lock per contact and channel: two sends to one contact at the same moment
 * cannot both pass a cap of one. The policy is read again every {@link #REFRESH}.
 */
@Component
public class MessagingPolicyGate {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MessagingPolicyGate.class);

    /** How long a read policy is used before it is read again. */
    public static final Duration REFRESH = Duration.ofSeconds(2);
    /** The reason of a capped message. */
    public static final String FREQUENCY_CAP = "frequency-cap";
    /** The reason of a message held by quiet hours. */
    public static final String QUIET_HOURS = "quiet-hours";

    private final QueryGateway queries;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private volatile MessagingPolicy policy = MessagingPolicy.NONE;
    private volatile Instant readAt = Instant.EPOCH;

    public MessagingPolicyGate(QueryGateway queries, DataSource dataSource, Clock clock) {
        this.queries = queries;
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** The policy, read again every {@link #REFRESH}. */
    public MessagingPolicy policy() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(REFRESH) >= 0) {
            try {
                MessagingPolicyView view = queries.query(new FindMessagingPolicyQuery(MessagingPolicy.ID),
                                                         ResponseTypes.instanceOf(MessagingPolicyView.class)).get();
                policy = view == null ? MessagingPolicy.NONE : view.policy();
                readAt = now;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // the last policy read stays in force (NONE before any read): sends are not stopped by a failed read
                log.warn("The messaging policy could not be read: {}", e.getCause().toString());
            }
        }
        return policy;
    }

    /** The contact's zone, else the quiet hours' fallback, else UTC. */
    private static ZoneId zone(String contactZone, MessagingPolicy.QuietHours quiet) {
        for (String candidate : new String[] {contactZone, quiet == null ? null : quiet.timeZone()}) {
            if (candidate != null && !candidate.isBlank()) {
                try {
                    return ZoneId.of(candidate);
                } catch (DateTimeException e) {
                    // not a zone: the next one
                }
            }
        }
        return ZoneOffset.UTC;
    }

    /**
     * When the quiet hours that hold a message on {@code channel} to a contact in {@code contactZone} end, or null
     * when it may go now.
     */
    public Instant quietUntil(Channel channel, String contactZone, Instant now) {
        MessagingPolicy.QuietHours quiet = policy().quietHours();
        if (quiet == null || !quiet.effectiveChannels().contains(channel)) {
            return null;
        }
        ZonedDateTime local = now.atZone(zone(contactZone, quiet));
        LocalTime start = LocalTime.parse(quiet.start());
        LocalTime end = LocalTime.parse(quiet.end());
        LocalTime time = local.toLocalTime();
        LocalDate today = local.toLocalDate();
        LocalDate endDay;
        if (start.isBefore(end)) {
            if (time.isBefore(start) || !time.isBefore(end)) {
                return null;
            }
            endDay = today;
        } else if (!time.isBefore(start)) {
            endDay = today.plusDays(1); // 21:00-08:00, it is after 21:00
        } else if (time.isBefore(end)) {
            endDay = today; // after midnight, before 08:00
        } else {
            return null;
        }
        // a time in a DST gap is the instant just after it
        return ZonedDateTime.of(endDay, end, local.getZone()).toInstant();
    }

    /**
     * Checks the cap of {@code channel} for one contact and, when the message may go, counts it; false when it is
     * capped (nothing counted). In the caller's transaction: the count stays if the send is written down with it.
     */
    public boolean take(UUID contactId, Channel channel, String contactZone, Instant now) {
        return takeAll(Map.of(contactId, contactZone == null ? "" : contactZone), channel, now).isEmpty();
    }

    /**
     * The same for many contacts (a campaign's group, zone by contact id): counts a message for each contact that may
     * have one and answers the capped ones. Locks are taken in contact order, so concurrent callers never deadlock.
     */
    public Set<UUID> takeAll(Map<UUID, String> zones, Channel channel, Instant now) {
        if (zones.isEmpty()) {
            return Set.of();
        }
        MessagingPolicy current = policy();
        MessagingPolicy.FrequencyCap cap = current.capOf(channel);
        if (cap == null) {
            return Set.of(); // no cap on the channel: nothing to check, nothing counted (sends cost no extra writes)
        }
        List<UUID> contacts = zones.keySet().stream().sorted().toList();
        UUID[] ids = contacts.toArray(UUID[]::new);
        Set<UUID> capped = new HashSet<>();
        Map<UUID, LocalDate> today = new java.util.HashMap<>();
        contacts.forEach(id -> today.put(id, now.atZone(zone(zones.get(id), current.quietHours())).toLocalDate()));
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "select pg_advisory_xact_lock(hashtextextended(c::text || ':' || ?, 0)) "
                            + "from unnest(?::uuid[]) with ordinality as u(c, n) order by n");
            statement.setString(1, channel.name());
            statement.setArray(2, connection.createArrayOf("uuid", ids));
            return statement;
        }, rs -> {
        });
        LocalDate earliest = today.values().stream().min(LocalDate::compareTo).orElseThrow()
                .minusDays(cap.days() - 1L);
        Map<UUID, Map<LocalDate, Integer>> counts = new java.util.HashMap<>();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "select contact_id, day, count from contact_message_count where contact_id = any(?) "
                            + "and channel = ? and day >= ?");
            statement.setArray(1, connection.createArrayOf("uuid", ids));
            statement.setString(2, channel.name());
            statement.setDate(3, Date.valueOf(earliest));
            return statement;
        }, rs -> {
            counts.computeIfAbsent(rs.getObject(1, UUID.class), k -> new java.util.HashMap<>())
                    .put(rs.getDate(2).toLocalDate(), rs.getInt(3));
        });
        for (UUID contact : contacts) {
            LocalDate from = today.get(contact).minusDays(cap.days() - 1L);
            int sent = counts.getOrDefault(contact, Map.of()).entrySet().stream()
                    .filter(e -> !e.getKey().isBefore(from) && !e.getKey().isAfter(today.get(contact)))
                    .mapToInt(Map.Entry::getValue).sum();
            if (sent >= cap.limit()) {
                capped.add(contact);
            }
        }
        List<UUID> counted = contacts.stream().filter(id -> !capped.contains(id)).toList();
        if (!counted.isEmpty()) {
            jdbc.query(connection -> {
                var statement = connection.prepareStatement(
                        "insert into contact_message_count (contact_id, channel, day, count) "
                                + "select c, ?, d, 1 from unnest(?::uuid[], ?::date[]) as u(c, d) "
                                + "on conflict (contact_id, channel, day) do update "
                                + "set count = contact_message_count.count + 1 returning 1");
                statement.setString(1, channel.name());
                statement.setArray(2, connection.createArrayOf("uuid", counted.toArray()));
                statement.setArray(3, connection.createArrayOf("date", counted.stream()
                        .map(id -> Date.valueOf(today.get(id))).toArray()));
                return statement;
            }, rs -> {
            });
        }
        return capped;
    }

    /** Takes back the count of a message that was counted and then not sent (failed for good, retried later). */
    public void giveBack(UUID contactId, Channel channel, String contactZone, Instant countedAt) {
        LocalDate day = countedAt.atZone(zone(contactZone, policy().quietHours())).toLocalDate();
        jdbc.update("update contact_message_count set count = greatest(0, count - 1) where contact_id = ? "
                            + "and channel = ? and day = ?", contactId, channel.name(), Date.valueOf(day));
    }

    /** Forgets counts older than any cap can look back (90 days); the number of rows removed. */
    public int prune(Instant now) {
        return jdbc.update("delete from contact_message_count where day < ?",
                           Date.valueOf(now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(92)));
    }
}
