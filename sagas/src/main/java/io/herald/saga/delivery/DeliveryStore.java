package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.api.delivery.DeliveryTotals;
import io.herald.api.segment.RecipientPage;
import io.herald.saga.delivery.Deliveries.Recorded;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.herald.saga.delivery.StoreSql.array;

/**
 * What spans the delivery tables: a run's settled totals (its counters and its recipients' rows), an
 * audience page (the rows and the run's freeze position), and settling a dead worker. Each table has its
 * own class ({@link CampaignRuns}, {@link Deliveries}, {@link WorkerLeases}, {@link FailureLog},
 * {@link UnreportedOutcomes}); these compose them. Callers own the transactions.
 */
@Component
public class DeliveryStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CampaignRuns runs;
    private final Deliveries deliveries;
    private final FailureLog failureLog;

    public DeliveryStore(DataSource dataSource, Clock clock, CampaignRuns runs, Deliveries deliveries,
                         FailureLog failureLog) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.runs = runs;
        this.deliveries = deliveries;
        this.failureLog = failureLog;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    /** What one step of a send window did: the results it recorded and the recipients it marked SENDING. */
    public record Step(List<Recorded> recorded, List<Deliveries.Claimed> marked) {
    }

    /**
     * One step of a send window that does not report, as one statement: records {@code results} (as
     * {@link Deliveries#record}), appends the final outcomes among them to the batch's journal (as
     * {@link UnreportedOutcomes#journal}) and marks {@code toMark} SENDING (as {@link Deliveries#markSending}).
     * The two updates touch different rows (those finished, those about to be sent). Failure-log entries
     * follow in a statement of their own when there are any. The caller's transaction holds it all.
     */
    public Step recordJournalAndMark(String campaignId, Channel channel, String workerId, List<Deliveries.Result> results,
                                     java.util.Set<String> marked, String batchId, List<String> toMark) {
        Timestamp now = now();
        List<Recorded> recorded = new ArrayList<>();
        List<Deliveries.Claimed> sending = new ArrayList<>();
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "with rec as (" + Deliveries.RECORD + "), "
                            + "journal as (" + UnreportedOutcomes.JOURNAL_INTO
                            + "select ?, ?, ?, array_agg(contact_id) from rec where status <> 'PENDING' "
                            + "having count(*) > 0" + UnreportedOutcomes.JOURNAL_APPEND + "), "
                            + "mark as (" + Deliveries.MARK_SENDING + ") "
                            + "select 'R', contact_id::text, status, reason, attempts, provider_message_id from rec "
                            + "union all select 'M', contact_id::text, null, null, attempts, null from mark");
            int next = Deliveries.bindRecord(statement, 1, results, marked, now, campaignId, workerId);
            statement.setString(next, batchId);
            statement.setString(next + 1, workerId);
            statement.setString(next + 2, campaignId);
            Deliveries.bindMark(statement, next + 3, toMark, now, campaignId, workerId);
            return statement;
        }, rs -> {
            if ("R".equals(rs.getString(1))) {
                recorded.add(new Recorded(rs.getString(2), DeliveryStatus.valueOf(rs.getString(3)), rs.getString(4),
                                          rs.getInt(5), rs.getString(6)));
            } else {
                sending.add(new Deliveries.Claimed(rs.getString(2), rs.getInt(5)));
            }
        });
        deliveries.logFailures(campaignId, channel, workerId, results, recorded, now);
        return new Step(recorded, sending);
    }

    /**
     * Writes down one page of recipients (skipped ones with their reason) and moves the cursor; at the
     * end of the audience the run is frozen and starts sending. Returns {written, skipped} of this page.
     */
    public long[] writeAudiencePage(String campaignId, Channel channel, String segmentId, RecipientPage page) {
        long[] counts = deliveries.writeAudience(campaignId, page);
        runs.advanceFreeze(campaignId, channel, segmentId, page, counts[0], counts[1]);
        return counts;
    }

    /**
     * The run's totals when it is settled: frozen, every recipient with a final status (none PENDING or
     * SENDING), counters adding up to the audience. Empty while anything is left. The counters move in
     * the transaction that settles the rows, so they are exact however often anyone asks: the send saga
     * completes a campaign from these, never from summing batch events (a stream may deliver one twice).
     */
    public Optional<DeliveryTotals> settledTotals(String campaignId) {
        Optional<DeliveryTotals> totals = runs.frozenTotals(campaignId);
        return totals.filter(t -> t.finished() >= t.audience() && !deliveries.hasUnsettled(campaignId));
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
        failureLog.log(failures);
        orphans.stream().map(Orphan::campaignId).distinct().forEach(campaign -> runs.count(
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
        unreported.stream().map(Orphan::campaignId).distinct().forEach(campaign -> runs.count(
                campaign, unreported.stream().filter(o -> o.campaignId().equals(campaign)).map(Orphan::recorded)
                        .toList()));
        jdbc.update("delete from delivery_worker where worker_id = ?", workerId);
        List<Orphan> settled = new ArrayList<>(orphans);
        settled.addAll(unreported);
        return settled;
    }
}
