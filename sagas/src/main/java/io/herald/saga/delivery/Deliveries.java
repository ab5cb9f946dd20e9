package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.DeliveryOutcome;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.api.segment.RecipientPage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.herald.saga.delivery.StoreSql.array;
import static io.herald.saga.delivery.StoreSql.truncate;

/**
 * The {@code delivery} table: one row per recipient of a campaign, from the frozen audience to its final
 * status. Every per-recipient write is one statement per batch (arrays unnested), never one per recipient.
 * Callers own the transactions.
 */
@Component
public class Deliveries {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CampaignRuns runs;
    private final FailureLog failureLog;

    public Deliveries(DataSource dataSource, Clock clock, CampaignRuns runs, FailureLog failureLog) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.runs = runs;
        this.failureLog = failureLog;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    // --- the frozen audience ---------------------------------------------------------------------

    /**
     * Writes down one page of recipients, skipped ones with their reason (PENDING or SKIPPED rows; those
     * already there are kept). Returns {written, skipped} of this page.
     */
    long[] writeAudience(String campaignId, RecipientPage page) {
        long written = 0;
        long skipped = 0;
        if (!page.recipients().isEmpty()) {
            List<UUID> ids = new ArrayList<>(page.recipients().size());
            List<String> reasons = new ArrayList<>(page.recipients().size());
            for (RecipientPage.Recipient recipient : page.recipients()) {
                ids.add(UUID.fromString(recipient.contactId()));
                reasons.add(recipient.skipReason());
            }
            Timestamp now = now();
            List<String> statuses = jdbc.query(connection -> {
                PreparedStatement statement = connection.prepareStatement(
                        "insert into delivery (campaign_id, contact_id, status, reason, created_at, updated_at) "
                                + "select ?, u.id, case when u.reason is null then 'PENDING' else 'SKIPPED' end, "
                                + "u.reason, ?, ? from unnest(?::uuid[], ?::text[]) as u(id, reason) "
                                + "on conflict (campaign_id, contact_id) do nothing returning status");
                statement.setString(1, campaignId);
                statement.setTimestamp(2, now);
                statement.setTimestamp(3, now);
                statement.setArray(4, connection.createArrayOf("uuid", ids.toArray()));
                statement.setArray(5, connection.createArrayOf("text", reasons.toArray()));
                return statement;
            }, (rs, row) -> rs.getString(1));
            written = statuses.size();
            skipped = statuses.stream().filter("SKIPPED"::equals).count();
        }
        return new long[] {written, skipped};
    }

    // --- claiming and recording sends -----------------------------------------------------------

    /** A recipient claimed for sending. */
    public record Claimed(String contactId, int attempts) {
    }

    /**
     * Claims up to {@code limit} due PENDING recipients of a campaign for this worker: they become
     * SENDING (committed before anything is sent, so a crash leaves a trace) with one more attempt.
     */
    public List<Claimed> claim(String campaignId, String workerId, int limit) {
        Timestamp now = now();
        // the rows are chosen once (MATERIALIZED): as a subquery joined to the update, the planner may re-run it per
        // row of a nested loop, and each run locks the next rows, so a claim of 500 took a whole fresh audience
        return jdbc.query("with c as materialized (select contact_id from delivery where campaign_id = ? "
                                  + "and status = 'PENDING' and (next_attempt_at is null or next_attempt_at <= ?) "
                                  + "order by contact_id limit ? for update skip locked) "
                                  + "update delivery d set status = 'SENDING', worker_id = ?, attempts = d.attempts + 1, "
                                  + "updated_at = ? from c where d.campaign_id = ? and d.contact_id = c.contact_id "
                                  + "returning d.contact_id, d.attempts",
                          (rs, row) -> new Claimed(rs.getString(1), rs.getInt(2)),
                          campaignId, now, limit, workerId, now, campaignId);
    }

    /** The new state of one claimed recipient. */
    public record Result(String contactId, DeliveryStatus status, String reason, String providerMessageId,
                         String error, Instant nextAttemptAt, boolean attempted, String failureOutcome) {
    }

    /** A row the record statement changed: what the batch event and the counters report. */
    public record Recorded(String contactId, DeliveryStatus status, String reason, int attempts,
                           String providerMessageId) {

        public DeliveryOutcome outcome() {
            return new DeliveryOutcome(contactId, status, reason, attempts, providerMessageId);
        }
    }

    /**
     * Records the results of claimed recipients, but only of those still SENDING under this worker (a
     * recipient settled by another worker after this one lost its lease keeps that settlement).
     * Writes failure-log entries and moves the run's counters.
     */
    public List<Recorded> record(String campaignId, Channel channel, String workerId, List<Result> results) {
        if (results.isEmpty()) {
            return List.of();
        }
        Timestamp now = now();
        int n = results.size();
        Object[] ids = new Object[n];
        Object[] statuses = new Object[n];
        Object[] reasons = new Object[n];
        Object[] providerIds = new Object[n];
        Object[] errors = new Object[n];
        Object[] nextAttempts = new Object[n];
        Object[] deltas = new Object[n];
        for (int i = 0; i < n; i++) {
            Result result = results.get(i);
            ids[i] = UUID.fromString(result.contactId());
            statuses[i] = result.status().name();
            reasons[i] = result.reason();
            providerIds[i] = truncate(result.providerMessageId(), 255);
            errors[i] = truncate(result.error(), 1000);
            nextAttempts[i] = result.nextAttemptAt() == null ? null : Timestamp.from(result.nextAttemptAt());
            deltas[i] = result.attempted() ? 0 : -1;
        }
        List<Recorded> recorded = jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "update delivery d set status = u.status, reason = u.reason, "
                            + "provider_message_id = coalesce(u.provider_id, d.provider_message_id), "
                            + "last_error = coalesce(u.error, d.last_error), next_attempt_at = u.next_attempt, "
                            + "attempts = d.attempts + u.delta, worker_id = null, updated_at = ?, "
                            + "sent_at = case when u.status = 'SENT' then ? else d.sent_at end "
                            + "from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], "
                            + "?::int[]) as u(contact_id, status, reason, provider_id, error, next_attempt, delta) "
                            + "where d.campaign_id = ? and d.contact_id = u.contact_id and d.status = 'SENDING' "
                            + "and d.worker_id = ? "
                            + "returning d.contact_id, d.status, d.reason, d.attempts, d.provider_message_id");
            statement.setTimestamp(1, now);
            statement.setTimestamp(2, now);
            statement.setArray(3, array(connection, "uuid", ids));
            statement.setArray(4, array(connection, "text", statuses));
            statement.setArray(5, array(connection, "text", reasons));
            statement.setArray(6, array(connection, "text", providerIds));
            statement.setArray(7, array(connection, "text", errors));
            statement.setArray(8, array(connection, "timestamptz", nextAttempts));
            statement.setArray(9, array(connection, "int4", deltas));
            statement.setString(10, campaignId);
            statement.setString(11, workerId);
            return statement;
        }, (rs, row) -> new Recorded(rs.getString(1), DeliveryStatus.valueOf(rs.getString(2)), rs.getString(3),
                                     rs.getInt(4), rs.getString(5)));
        if (recorded.isEmpty()) {
            return recorded;
        }
        java.util.Map<String, Recorded> changed = new java.util.HashMap<>();
        recorded.forEach(r -> changed.put(r.contactId(), r));
        List<Object[]> failures = new ArrayList<>();
        for (Result result : results) {
            Recorded row = changed.get(result.contactId());
            if (result.failureOutcome() != null && row != null) {
                failures.add(new Object[] {now, campaignId, UUID.fromString(result.contactId()), channel.name(),
                        result.reason(), truncate(result.error(), 2000), row.attempts(), result.failureOutcome(),
                        result.nextAttemptAt() == null ? null : Timestamp.from(result.nextAttemptAt()), workerId});
            }
        }
        failureLog.log(failures);
        runs.count(campaignId, recorded);
        return recorded;
    }

    /**
     * Gives claimed recipients that were never attempted back to the queue (PENDING, the claim's attempt taken
     * back), of those still SENDING under this worker. Returns how many.
     */
    public int release(String campaignId, String workerId, java.util.Collection<String> contactIds) {
        if (contactIds.isEmpty()) {
            return 0;
        }
        Object[] ids = contactIds.stream().map(UUID::fromString).toArray();
        return jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "update delivery d set status = 'PENDING', worker_id = null, attempts = greatest(0, d.attempts - 1), "
                            + "updated_at = ? from unnest(?::uuid[]) as u(contact_id) where d.campaign_id = ? "
                            + "and d.contact_id = u.contact_id and d.status = 'SENDING' and d.worker_id = ?");
            statement.setTimestamp(1, now());
            statement.setArray(2, array(connection, "uuid", ids));
            statement.setString(3, campaignId);
            statement.setString(4, workerId);
            return statement;
        });
    }

    // --- cancel ---------------------------------------------------------------------------------

    /**
     * Skips up to {@code limit} PENDING recipients of a cancelled or failed campaign, with {@code reason}
     * ({@code cancelled}, {@code campaign-failed}); returns those skipped.
     */
    public List<Recorded> skipCancelled(String campaignId, String reason, int limit) {
        Timestamp now = now();
        // chosen once, as in claim
        List<Recorded> skipped = jdbc.query(
                "with c as materialized (select contact_id from delivery where campaign_id = ? and status = 'PENDING' "
                        + "order by contact_id limit ? for update skip locked) "
                        + "update delivery d set status = 'SKIPPED', reason = ?, next_attempt_at = null, "
                        + "updated_at = ? from c where d.campaign_id = ? and d.contact_id = c.contact_id "
                        + "returning d.contact_id, d.status, d.reason, d.attempts, d.provider_message_id",
                (rs, row) -> new Recorded(rs.getString(1), DeliveryStatus.SKIPPED, rs.getString(3), rs.getInt(4),
                                          rs.getString(5)), campaignId, limit, reason, now, campaignId);
        runs.count(campaignId, skipped);
        return skipped;
    }

    /** The workers named on SENDING rows (the recipients claimed and not yet recorded). */
    public List<String> sendingWorkers() {
        return jdbc.queryForList("select distinct worker_id from delivery where status = 'SENDING' "
                                         + "and worker_id is not null", String.class);
    }

    /** Whether a campaign still has recipients PENDING or SENDING. */
    public boolean hasUnsettled(String campaignId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from delivery where campaign_id = ? and status in ('PENDING', 'SENDING'))",
                Boolean.class, campaignId));
    }
}
