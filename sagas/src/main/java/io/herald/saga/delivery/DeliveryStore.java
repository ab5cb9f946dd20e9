package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.DeliveryOutcome;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.api.delivery.DeliveryTotals;
import io.herald.api.segment.RecipientPage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The delivery tables: campaign runs, delivery records, workers' leases and the failure log. Every
 * per-recipient write is one statement per batch (arrays unnested), never one per recipient. Callers
 * own the transactions.
 */
@Component
public class DeliveryStore {

    /** States of a campaign run. */
    public static final String FREEZING = "FREEZING";
    public static final String SENDING = "SENDING";
    public static final String CANCELLING = "CANCELLING";
    public static final String DONE = "DONE";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeliveryStore(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    // --- runs (written by the send saga) -------------------------------------------------------

    public void open(String campaignId, Instant launchedAt, String correlationId) {
        jdbc.update("insert into campaign_run (campaign_id, state, launched_at, updated_at, correlation_id) "
                            + "values (?, 'FREEZING', ?, ?, ?) on conflict (campaign_id) do nothing",
                    campaignId, Timestamp.from(launchedAt), now(), correlationId);
    }

    public void setPaused(String campaignId, boolean paused) {
        jdbc.update("update campaign_run set paused = ?, updated_at = ? where campaign_id = ?", paused, now(),
                    campaignId);
    }

    public void cancel(String campaignId) {
        jdbc.update("update campaign_run set state = 'CANCELLING', updated_at = ? where campaign_id = ? "
                            + "and state <> 'DONE'", now(), campaignId);
    }

    public void finish(String campaignId) {
        jdbc.update("update campaign_run set state = 'DONE', finished_at = coalesce(finished_at, ?), updated_at = ? "
                            + "where campaign_id = ?", now(), now(), campaignId);
    }

    // --- what the worker sees ------------------------------------------------------------------

    /** A run that is not done. */
    public record ActiveRun(String campaignId, String state, boolean paused, Channel channel, boolean frozen,
                            boolean audienceRecorded, String correlationId) {

        public boolean sending() {
            return SENDING.equals(state) && !paused;
        }
    }

    public List<ActiveRun> activeRuns() {
        return jdbc.query("select campaign_id, state, paused, channel, frozen, audience_recorded, correlation_id "
                                  + "from campaign_run where state <> 'DONE'",
                          (rs, row) -> new ActiveRun(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                                                     rs.getString(4) == null ? null : Channel.valueOf(rs.getString(4)),
                                                     rs.getBoolean(5), rs.getBoolean(6), rs.getString(7)));
    }

    /** The freeze position of a FREEZING run, locked for this transaction (other workers skip it). */
    public record FreezePosition(String campaignId, String cursor, Long segmentVersion) {
    }

    public Optional<FreezePosition> lockFreezing(String campaignId) {
        return jdbc.query("select campaign_id, freeze_cursor, segment_version from campaign_run "
                                  + "where campaign_id = ? and state = 'FREEZING' for update skip locked",
                          (rs, row) -> new FreezePosition(rs.getString(1), rs.getString(2),
                                                          (Long) rs.getObject(3)), campaignId)
                .stream().findFirst();
    }

    /**
     * Writes down one page of recipients (skipped ones with their reason) and moves the cursor; at the
     * end of the audience the run is frozen and starts sending. Returns {written, skipped} of this page.
     */
    public long[] writeAudiencePage(String campaignId, Channel channel, String segmentId, RecipientPage page) {
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
        boolean last = page.next() == null;
        String cursor = page.recipients().isEmpty() ? null
                : page.recipients().get(page.recipients().size() - 1).contactId();
        jdbc.update("update campaign_run set channel = ?, segment_id = ?, "
                            + "segment_version = coalesce(segment_version, ?), "
                            + "freeze_cursor = coalesce(?::uuid, freeze_cursor), audience = audience + ?, "
                            + "skipped = skipped + ?, skipped_at_freeze = skipped_at_freeze + ?, frozen = ?, frozen_at = case when ? then ?::timestamptz end, "
                            + "state = case when ? then 'SENDING' else state end, updated_at = ? "
                            + "where campaign_id = ?",
                    channel.name(), segmentId, page.segmentVersion(), cursor, written, skipped, skipped, last, last, now(),
                    last, now(), campaignId);
        return new long[] {written, skipped};
    }

    /** A frozen run with no segment to freeze from (deleted since): nothing to send. */
    public void freezeEmpty(String campaignId, Channel channel, String segmentId) {
        jdbc.update("update campaign_run set channel = ?, segment_id = ?, segment_version = coalesce(segment_version, 0), "
                            + "frozen = true, frozen_at = ?, state = 'SENDING', updated_at = ? where campaign_id = ? "
                            + "and state = 'FREEZING'", channel.name(), segmentId, now(), now(), campaignId);
    }

    /** The counts the audience event reports, for a frozen run. */
    public record FrozenAudience(long audience, long skippedAtFreeze, String segmentId, long segmentVersion) {
    }

    public FrozenAudience frozenAudience(String campaignId) {
        return jdbc.queryForObject("select audience, skipped_at_freeze, segment_id, coalesce(segment_version, 0) "
                                           + "from campaign_run where campaign_id = ?",
                                   (rs, row) -> new FrozenAudience(rs.getLong(1), rs.getLong(2), rs.getString(3),
                                                                   rs.getLong(4)), campaignId);
    }

    /**
     * The run's totals when it is settled: frozen, every recipient with a final status (none PENDING or
     * SENDING), counters adding up to the audience. Empty while anything is left. The counters move in
     * the transaction that settles the rows, so they are exact however often anyone asks: the send saga
     * completes a campaign from these, never from summing batch events (a stream may deliver one twice).
     */
    public Optional<DeliveryTotals> settledTotals(String campaignId) {
        Optional<DeliveryTotals> totals = jdbc.query(
                "select audience, sent, failed, skipped, unknown from campaign_run where campaign_id = ? and frozen",
                (rs, row) -> new DeliveryTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                                rs.getLong(5)), campaignId).stream().findFirst();
        return totals.filter(t -> t.finished() >= t.audience() && !hasUnsettled(campaignId));
    }

    public void markAudienceRecorded(String campaignId) {
        jdbc.update("update campaign_run set audience_recorded = true where campaign_id = ?", campaignId);
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
        Object[] ids = contactIds.stream().map(UUID::fromString).toArray();
        Object[] held = contactIds.stream().map(id -> "PENDING").toArray();
        return jdbc.query(connection -> {
            // matched on key and state, row by row, like record: a plan walking the worker's reservations (or the
            // campaign's PENDING range) for a few rows is what a condition on worker_id or status alone invites
            PreparedStatement statement = connection.prepareStatement(
                    "update delivery d set status = 'SENDING', attempts = d.attempts + 1, updated_at = ? "
                            + "from unnest(?::uuid[], ?::text[]) as u(contact_id, held) "
                            + "where d.campaign_id = ? and d.contact_id = u.contact_id and d.status = u.held "
                            + "and d.worker_id = ? returning d.contact_id, d.attempts");
            statement.setTimestamp(1, now);
            statement.setArray(2, array(connection, "uuid", ids));
            statement.setArray(3, array(connection, "text", held));
            statement.setString(4, campaignId);
            statement.setString(5, workerId);
            return statement;
        }, (rs, row) -> new Claimed(rs.getString(1), rs.getInt(2)));
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
     * are reported ({@link #journal}, {@link #report}).
     */
    public List<Recorded> record(String campaignId, Channel channel, String workerId, List<Result> results,
                                 java.util.Set<String> marked) {
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
        // each row is matched on its key and the state this worker left it in (never on a status alone: the
        // planner would walk a campaign's whole PENDING range in delivery_status_idx for a few rows)
        List<Recorded> recorded = jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(
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
                            + "returning d.contact_id, d.status, d.reason, d.attempts, d.provider_message_id");
            statement.setTimestamp(1, now);
            statement.setTimestamp(2, now);
            statement.setArray(3, array(connection, "uuid", ids));
            statement.setArray(4, array(connection, "text", statuses));
            statement.setArray(5, array(connection, "text", reasons));
            statement.setArray(6, array(connection, "text", providerIds));
            statement.setArray(7, array(connection, "text", errors));
            statement.setArray(8, array(connection, "timestamptz", nextAttempts));
            statement.setArray(9, array(connection, "bool", attempted));
            statement.setArray(10, array(connection, "text", held));
            statement.setString(11, campaignId);
            statement.setString(12, workerId);
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
        logFailures(failures);
        return recorded;
    }

    /**
     * Notes final outcomes recorded by a batch and not reported yet (counters and event), in the transaction
     * that records them: one row per batch, its recipients' ids appended. If the worker dies before it reports
     * them, the survivor that settles it reports them ({@link #settleDeadWorker}).
     */
    public void journal(String batchId, String workerId, String campaignId, List<Recorded> recorded) {
        if (recorded.isEmpty()) {
            return;
        }
        Object[] ids = recorded.stream().map(r -> UUID.fromString(r.contactId())).toArray();
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "insert into delivery_unreported (batch_id, worker_id, campaign_id, contact_ids) "
                            + "values (?, ?, ?, ?::uuid[]) on conflict (batch_id) do update "
                            + "set contact_ids = delivery_unreported.contact_ids || excluded.contact_ids");
            statement.setString(1, batchId);
            statement.setString(2, workerId);
            statement.setString(3, campaignId);
            statement.setArray(4, array(connection, "uuid", ids));
            return statement;
        });
    }

    /**
     * Reports a batch's outcomes: those {@code journaled} earlier (only the ones still in its journal: a
     * survivor that settled this worker after its lease ran out has reported the others) and those recorded
     * just now in this transaction ({@code fresh}, never journaled). Counts them into the run's counters and
     * returns them for the event that reports them, in the same transaction.
     */
    public List<Recorded> report(String batchId, String campaignId, List<Recorded> journaled, List<Recorded> fresh) {
        List<Recorded> reported = new ArrayList<>(fresh);
        if (!journaled.isEmpty()) {
            Set<String> kept = new HashSet<>();
            jdbc.query("delete from delivery_unreported where batch_id = ? returning contact_ids", rs -> {
                for (Object id : (Object[]) rs.getArray(1).getArray()) {
                    kept.add(id.toString());
                }
            }, batchId);
            journaled.stream().filter(r -> kept.contains(r.contactId())).forEach(reported::add);
        }
        count(campaignId, reported);
        return reported;
    }

    /** The final statuses among recorded rows (rows back to PENDING count in none). */
    public record Tally(long sent, long failed, long skipped, long unknown) {

        public static Tally of(List<Recorded> recorded) {
            long sent = 0;
            long failed = 0;
            long skipped = 0;
            long unknown = 0;
            for (Recorded r : recorded) {
                switch (r.status()) {
                    case SENT -> sent++;
                    case FAILED -> failed++;
                    case SKIPPED -> skipped++;
                    case UNKNOWN -> unknown++;
                    default -> { }
                }
            }
            return new Tally(sent, failed, skipped, unknown);
        }

        public long finished() {
            return sent + failed + skipped + unknown;
        }
    }

    /** Adds recorded final statuses to the run's counters and its rate window. */
    private void count(String campaignId, List<Recorded> recorded) {
        Tally tally = Tally.of(recorded);
        long sent = tally.sent();
        long failed = tally.failed();
        long skipped = tally.skipped();
        long unknown = tally.unknown();
        long finished = tally.finished();
        if (finished == 0) {
            return;
        }
        Timestamp now = now();
        // SET expressions see the row as it was: the window closes after 5 s, its rate becomes the rate
        jdbc.update("update campaign_run set sent = sent + ?, failed = failed + ?, skipped = skipped + ?, "
                            + "unknown = unknown + ?, updated_at = ?, "
                            + "rate_per_second = case when window_started_at is not null "
                            + "and ?::timestamptz - window_started_at >= interval '5 seconds' "
                            + "then (window_count + ?) / extract(epoch from (?::timestamptz - window_started_at)) "
                            + "else rate_per_second end, "
                            + "window_count = case when window_started_at is null "
                            + "or ?::timestamptz - window_started_at >= interval '5 seconds' then "
                            + "case when window_started_at is null then ? else 0 end else window_count + ? end, "
                            + "window_started_at = case when window_started_at is null "
                            + "or ?::timestamptz - window_started_at >= interval '5 seconds' then ?::timestamptz "
                            + "else window_started_at end "
                            + "where campaign_id = ?",
                    sent, failed, skipped, unknown, now, now, finished, now, now, finished, finished, now, now,
                    campaignId);
        jdbc.update("insert into delivery_daily (day, channel, sent, failed, skipped, unknown) "
                            + "select (?::timestamptz at time zone 'UTC')::date, coalesce(channel, 'WEBHOOK'), ?, ?, ?, ? "
                            + "from campaign_run where campaign_id = ? on conflict (day, channel) do update set "
                            + "sent = delivery_daily.sent + excluded.sent, failed = delivery_daily.failed + excluded.failed, "
                            + "skipped = delivery_daily.skipped + excluded.skipped, "
                            + "unknown = delivery_daily.unknown + excluded.unknown",
                    now, sent, failed, skipped, unknown, campaignId);
    }

    private void logFailures(List<Object[]> failures) {
        if (failures.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into delivery_failure (occurred_at, campaign_id, contact_id, channel, reason, error, "
                                 + "attempt, outcome, retry_at, worker_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         failures);
    }

    /** A failure about a whole batch (a crash while sending it), with no single recipient. */
    public void logBatchFailure(String campaignId, Channel channel, String reason, String error, String workerId) {
        logFailures(List.<Object[]>of(new Object[] {now(), campaignId, null, channel == null ? "WEBHOOK" : channel.name(),
                reason, truncate(error, 2000), 0, "FAILED", null, workerId}));
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
        count(campaignId, skipped);
        return skipped;
    }

    /** Whether a campaign still has recipients PENDING or SENDING, or recorded but not yet reported. */
    public boolean hasUnsettled(String campaignId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from delivery where campaign_id = ? and status in ('PENDING', 'SENDING')) "
                        + "or exists (select 1 from delivery_unreported where campaign_id = ?)",
                Boolean.class, campaignId, campaignId));
    }

    // --- workers and their leases ---------------------------------------------------------------

    public void register(String workerId, String host) {
        jdbc.update("insert into delivery_worker (worker_id, host, started_at, heartbeat_at) values (?, ?, ?, ?) "
                            + "on conflict (worker_id) do update set heartbeat_at = excluded.heartbeat_at",
                    workerId, host, now(), now());
    }

    /** Renews the lease; false when the worker was already declared dead (its row is gone). */
    public boolean heartbeat(String workerId) {
        return jdbc.update("update delivery_worker set heartbeat_at = ? where worker_id = ?", now(), workerId) == 1;
    }

    public void unregister(String workerId) {
        jdbc.update("delete from delivery_worker where worker_id = ?", workerId);
    }

    /**
     * Workers whose lease ran out, and ids left on rows (SENDING, reserved PENDING, recorded but not yet
     * reported) by workers that are gone; the expired ones are locked for this transaction (one survivor
     * settles each).
     */
    public List<String> lockDeadWorkers(Duration lease) {
        Timestamp expiry = Timestamp.from(clock.instant().minus(lease));
        List<String> dead = new ArrayList<>(jdbc.queryForList(
                "select worker_id from delivery_worker where heartbeat_at < ? for update skip locked", String.class,
                expiry));
        dead.addAll(jdbc.queryForList("select distinct d.worker_id from delivery d where d.status = 'SENDING' "
                                              + "and not exists (select 1 from delivery_worker w "
                                              + "where w.worker_id = d.worker_id)", String.class));
        dead.addAll(jdbc.queryForList("select distinct d.worker_id from delivery d where d.status = 'PENDING' "
                                              + "and d.worker_id is not null and not exists (select 1 "
                                              + "from delivery_worker w where w.worker_id = d.worker_id)",
                                      String.class));
        dead.addAll(jdbc.queryForList("select distinct u.worker_id from delivery_unreported u where not exists "
                                              + "(select 1 from delivery_worker w where w.worker_id = u.worker_id)",
                                      String.class));
        return dead.stream().distinct().toList();
    }

    /** A recipient a dead worker was sending. */
    public record Orphan(String campaignId, Channel channel, Recorded recorded) {
    }

    /**
     * Settles what a dead worker was sending: a webhook is sent again (same Idempotency-Key), an e-mail
     * or SMS becomes UNKNOWN (it may have gone out: never repeated blindly). Logged as failures. Its
     * reservations (PENDING, never sent) are released for any worker to claim, and the outcomes it recorded
     * but had not reported yet are counted; both kinds are returned for the survivor's events.
     */
    public List<Orphan> settleDeadWorker(String workerId, int maxAttempts) {
        Timestamp now = now();
        List<Orphan> orphans = jdbc.query(
                "update delivery d set status = case when r.channel = 'WEBHOOK' and d.attempts < ? then 'PENDING' "
                        + "else 'UNKNOWN' end, reason = 'worker-lost', worker_id = null, updated_at = ?, "
                        + "last_error = 'the worker sending it stopped before recording the outcome' "
                        + "from campaign_run r where d.worker_id = ? and d.status = 'SENDING' "
                        + "and r.campaign_id = d.campaign_id "
                        + "returning d.campaign_id, r.channel, d.contact_id, d.status, d.attempts",
                (rs, row) -> new Orphan(rs.getString(1), Channel.valueOf(rs.getString(2)),
                                        new Recorded(rs.getString(3), DeliveryStatus.valueOf(rs.getString(4)),
                                                     "worker-lost", rs.getInt(5), null)),
                maxAttempts, now, workerId);
        List<Object[]> failures = new ArrayList<>();
        for (Orphan orphan : orphans) {
            boolean retried = orphan.recorded().status() == DeliveryStatus.PENDING;
            failures.add(new Object[] {now, orphan.campaignId(), UUID.fromString(orphan.recorded().contactId()),
                    orphan.channel().name(), "worker-lost",
                    retried ? "the worker sending it stopped; sent again with the same Idempotency-Key"
                            : "the worker sending it stopped; it may or may not have gone out, so it is not repeated",
                    orphan.recorded().attempts(), retried ? "RETRY_SCHEDULED" : "UNKNOWN", retried ? now : null,
                    workerId});
        }
        logFailures(failures);
        orphans.stream().map(Orphan::campaignId).distinct().forEach(campaign -> count(
                campaign, orphans.stream().filter(o -> o.campaignId().equals(campaign)).map(Orphan::recorded).toList()));
        jdbc.update("update delivery set worker_id = null, updated_at = ? where worker_id = ? and status = 'PENDING'",
                    now, workerId);
        // recorded by the dead worker but not yet reported (counters, event): reported here
        List<Orphan> unreported = new ArrayList<>();
        jdbc.query("delete from delivery_unreported where worker_id = ? returning campaign_id, contact_ids", rs -> {
            String campaign = rs.getString(1);
            Object[] ids = (Object[]) rs.getArray(2).getArray();
            unreported.addAll(jdbc.query(connection -> {
                PreparedStatement statement = connection.prepareStatement(
                        "select d.contact_id, r.channel, d.status, d.reason, d.attempts, d.provider_message_id "
                                + "from delivery d join campaign_run r on r.campaign_id = d.campaign_id "
                                + "where d.campaign_id = ? and d.contact_id = any(?::uuid[])");
                statement.setString(1, campaign);
                statement.setArray(2, array(connection, "uuid", ids));
                return statement;
            }, (row, n) -> new Orphan(campaign, Channel.valueOf(row.getString(2)),
                                      new Recorded(row.getString(1), DeliveryStatus.valueOf(row.getString(3)),
                                                   row.getString(4), row.getInt(5), row.getString(6)))));
        }, workerId);
        unreported.stream().map(Orphan::campaignId).distinct().forEach(campaign -> count(
                campaign, unreported.stream().filter(o -> o.campaignId().equals(campaign)).map(Orphan::recorded)
                        .toList()));
        jdbc.update("delete from delivery_worker where worker_id = ?", workerId);
        List<Orphan> settled = new ArrayList<>(orphans);
        settled.addAll(unreported);
        return settled;
    }

    private static Array array(Connection connection, String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
