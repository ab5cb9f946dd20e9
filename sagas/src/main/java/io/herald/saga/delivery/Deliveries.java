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

    /**
     * Refreshes the planner's statistics of the delivery table once an audience has been written, before its
     * recipients are sent: the workers' statements are planned on them, and autovacuum's own analyze comes
     * only after a share of the table has changed (for a table that holds many campaigns, long after this one
     * has gone out), or never where it is turned off. Best effort: a failure is logged and sending goes on.
     */
    public void analyze() {
        try {
            jdbc.execute("analyze delivery");
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Deliveries.class).warn("Could not analyze the delivery table: {}",
                                                                     e.toString());
        }
    }

    // --- claiming and recording sends -----------------------------------------------------------

    /** A recipient claimed for sending. */
    public record Claimed(String contactId, int attempts) {
    }

    /**
     * Reserves up to {@code limit} due, unreserved PENDING recipients of a campaign for this worker: they
     * stay PENDING (attempts unchanged) with this worker's id, so no other worker claims them. Nothing is
     * sent on a reservation: each send group is marked SENDING by {@link #markSending} first, so a crash
     * leaves at most one group per sender SENDING; a dead worker's reservations are simply released.
     */
    public List<Claimed> claim(String campaignId, String workerId, int limit) {
        Timestamp now = now();
        return jdbc.query("update delivery d set worker_id = ?, updated_at = ? from (select contact_id from delivery "
                                  + "where campaign_id = ? and status = 'PENDING' and worker_id is null "
                                  + "and (next_attempt_at is null or next_attempt_at <= ?) "
                                  + "order by contact_id limit ? for update skip locked) c "
                                  + "where d.campaign_id = ? and d.contact_id = c.contact_id "
                                  + "returning d.contact_id, d.attempts",
                          (rs, row) -> new Claimed(rs.getString(1), rs.getInt(2)),
                          workerId, now, campaignId, now, limit, campaignId);
    }

    /**
     * Marks one send group SENDING with one more attempt, right before it is sent (committed first, so a
     * crash leaves a trace): only recipients still PENDING under this worker's reservation. Others are left
     * out, never sent: cancel skipped them, or a survivor released them after this worker's lease ran out.
     * Returns the marked recipients with their new attempt count.
     */
    public List<Claimed> markSending(String campaignId, String workerId, List<String> contactIds) {
        if (contactIds.isEmpty()) {
            return List.of();
        }
        Timestamp now = now();
        return jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(MARK_SENDING);
            bindMark(statement, 1, contactIds, now, campaignId, workerId);
            return statement;
        }, (rs, row) -> new Claimed(rs.getString(1), rs.getInt(2)));
    }

    /**
     * Marks recipients SENDING (parameters: {@link #bindMark}); returns {@code contact_id, attempts}. Matched on
     * key and state, row by row, like {@link #RECORD}: a plan walking the worker's reservations (or the
     * campaign's PENDING range) for a few rows is what a condition on worker_id or status alone invites.
     */
    static final String MARK_SENDING =
            "update delivery d set status = 'SENDING', attempts = d.attempts + 1, updated_at = ? "
                    + "from unnest(?::uuid[], ?::text[]) as u(contact_id, held) "
                    + "where d.campaign_id = ? and d.contact_id = u.contact_id and d.status = u.held "
                    + "and d.worker_id = ? returning d.contact_id, d.attempts";

    /** Binds {@link #MARK_SENDING}'s five parameters from {@code first}; returns the next parameter's index. */
    static int bindMark(PreparedStatement statement, int first, List<String> contactIds, Timestamp now,
                        String campaignId, String workerId) throws java.sql.SQLException {
        Object[] ids = contactIds.stream().map(UUID::fromString).toArray();
        Object[] held = contactIds.stream().map(id -> "PENDING").toArray();
        statement.setTimestamp(first, now);
        statement.setArray(first + 1, array(statement.getConnection(), "uuid", ids));
        statement.setArray(first + 2, array(statement.getConnection(), "text", held));
        statement.setString(first + 3, campaignId);
        statement.setString(first + 4, workerId);
        return first + 5;
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
     * Records the results of claimed recipients, but only of those still held by this worker in the state
     * it left them: SENDING (in {@code marked}: marked for a send) or PENDING (reserved, never sent: skipped,
     * failed before sending, or left for later). A recipient settled or released by another worker after this
     * one lost its lease, or skipped by cancel, keeps that state. The attempt count ends as if each counted
     * attempt added one: a SENDING row already has it (and gives it back when its result is not an attempt),
     * a reserved row gets it here. Writes failure-log entries; the run's counters move when the outcomes
     * are reported ({@link UnreportedOutcomes#journal}, {@link UnreportedOutcomes#report}).
     */
    public List<Recorded> record(String campaignId, Channel channel, String workerId, List<Result> results,
                                 java.util.Set<String> marked) {
        if (results.isEmpty()) {
            return List.of();
        }
        Timestamp now = now();
        List<Recorded> recorded = jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(RECORD);
            bindRecord(statement, 1, results, marked, now, campaignId, workerId);
            return statement;
        }, (rs, row) -> new Recorded(rs.getString(1), DeliveryStatus.valueOf(rs.getString(2)), rs.getString(3),
                                     rs.getInt(4), rs.getString(5)));
        logFailures(campaignId, channel, workerId, results, recorded, now);
        return recorded;
    }

    /**
     * Records results (parameters: {@link #bindRecord}); returns {@code contact_id, status, reason, attempts,
     * provider_message_id} of the rows it changed. Each row is matched on its key and the state this worker
     * left it in (never on a status alone: the planner would walk a campaign's whole PENDING range in
     * delivery_status_idx for a few rows).
     */
    static final String RECORD =
            "update delivery d set status = u.status, reason = u.reason, "
                    + "provider_message_id = coalesce(u.provider_id, d.provider_message_id), "
                    + "last_error = coalesce(u.error, d.last_error), next_attempt_at = u.next_attempt, "
                    + "attempts = d.attempts + case when d.status = 'SENDING' then "
                    + "(case when u.attempted then 0 else -1 end) else (case when u.attempted then 1 else 0 end) end, "
                    + "worker_id = null, updated_at = ?, "
                    + "sent_at = case when u.status = 'SENT' then ? else d.sent_at end "
                    + "from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], "
                    + "?::boolean[], ?::text[]) as u(contact_id, status, reason, provider_id, error, next_attempt, "
                    + "attempted, held) "
                    + "where d.campaign_id = ? and d.contact_id = u.contact_id and d.status = u.held "
                    + "and d.worker_id = ? "
                    + "returning d.contact_id, d.status, d.reason, d.attempts, d.provider_message_id";

    /**
     * Binds {@link #RECORD}'s twelve parameters from {@code first}: each result's row is expected SENDING when
     * it is in {@code marked}, PENDING (reserved) otherwise. Returns the next parameter's index.
     */
    static int bindRecord(PreparedStatement statement, int first, List<Result> results, java.util.Set<String> marked,
                          Timestamp now, String campaignId, String workerId) throws java.sql.SQLException {
        int n = results.size();
        Object[] ids = new Object[n];
        Object[] statuses = new Object[n];
        Object[] reasons = new Object[n];
        Object[] providerIds = new Object[n];
        Object[] errors = new Object[n];
        Object[] nextAttempts = new Object[n];
        Object[] attempted = new Object[n];
        Object[] held = new Object[n];
        for (int i = 0; i < n; i++) {
            Result result = results.get(i);
            ids[i] = UUID.fromString(result.contactId());
            statuses[i] = result.status().name();
            reasons[i] = result.reason();
            providerIds[i] = truncate(result.providerMessageId(), 255);
            errors[i] = truncate(result.error(), 1000);
            nextAttempts[i] = result.nextAttemptAt() == null ? null : Timestamp.from(result.nextAttemptAt());
            attempted[i] = result.attempted();
            held[i] = marked.contains(result.contactId()) ? "SENDING" : "PENDING";
        }
        java.sql.Connection connection = statement.getConnection();
        statement.setTimestamp(first, now);
        statement.setTimestamp(first + 1, now);
        statement.setArray(first + 2, array(connection, "uuid", ids));
        statement.setArray(first + 3, array(connection, "text", statuses));
        statement.setArray(first + 4, array(connection, "text", reasons));
        statement.setArray(first + 5, array(connection, "text", providerIds));
        statement.setArray(first + 6, array(connection, "text", errors));
        statement.setArray(first + 7, array(connection, "timestamptz", nextAttempts));
        statement.setArray(first + 8, array(connection, "bool", attempted));
        statement.setArray(first + 9, array(connection, "text", held));
        statement.setString(first + 10, campaignId);
        statement.setString(first + 11, workerId);
        return first + 12;
    }

    /** The failure-log entries of the results whose rows were recorded (retries, failures, unknowns). */
    void logFailures(String campaignId, Channel channel, String workerId, List<Result> results,
                     List<Recorded> recorded, Timestamp now) {
        if (recorded.isEmpty()) {
            return;
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
    }

    // --- cancel ---------------------------------------------------------------------------------

    /**
     * Skips up to {@code limit} PENDING recipients of a cancelled campaign, reserved ones included (a
     * worker never sends those: {@link #markSending} takes only PENDING rows); returns those skipped.
     */
    public List<Recorded> skipCancelled(String campaignId, int limit) {
        Timestamp now = now();
        List<Recorded> skipped = jdbc.query(
                "update delivery d set status = 'SKIPPED', reason = 'cancelled', next_attempt_at = null, worker_id = null, "
                        + "updated_at = ? "
                        + "from (select contact_id from delivery where campaign_id = ? and status = 'PENDING' "
                        + "order by contact_id limit ? for update skip locked) c "
                        + "where d.campaign_id = ? and d.contact_id = c.contact_id "
                        + "returning d.contact_id, d.status, d.reason, d.attempts, d.provider_message_id",
                (rs, row) -> new Recorded(rs.getString(1), DeliveryStatus.SKIPPED, rs.getString(3), rs.getInt(4),
                                          rs.getString(5)), now, campaignId, limit, campaignId);
        runs.count(campaignId, skipped);
        return skipped;
    }

    /** Whether a campaign still has recipients PENDING or SENDING, or recorded but not yet reported. */
    public boolean hasUnsettled(String campaignId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from delivery where campaign_id = ? and status in ('PENDING', 'SENDING')) "
                        + "or exists (select 1 from delivery_unreported where campaign_id = ?)",
                Boolean.class, campaignId, campaignId));
    }
}
