package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.api.delivery.DeliveryTotals;
import io.herald.api.segment.RecipientPage;
import io.herald.saga.delivery.Deliveries.Recorded;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What spans the delivery tables: a run's settled totals (its counters and its recipients' rows), an
 * audience page (the rows and the run's freeze position), and settling a dead worker. Each table has its
 * own class ({@link CampaignRuns}, {@link Deliveries}, {@link DeliveryJournal}, {@link FailureLog}); these
 * compose them (the workers' leases are the platform's {@link io.herald.eventstore.work.WorkerRegistry}).
 * Callers own the transactions.
 */
@Component
public class DeliveryStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CampaignRuns runs;
    private final Deliveries deliveries;
    private final FailureLog failureLog;
    private final DeliveryJournal journal;

    public DeliveryStore(DataSource dataSource, Clock clock, CampaignRuns runs, Deliveries deliveries,
                         FailureLog failureLog, DeliveryJournal journal) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.runs = runs;
        this.deliveries = deliveries;
        this.failureLog = failureLog;
        this.journal = journal;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
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

    /** A recipient of a dead worker's claims whose state the survivor settled, as the batch events report it. */
    public record Orphan(String campaignId, Channel channel, Recorded recorded) {
    }

    /** What settling a dead worker did: the rows it settled (to report), and how many it gave back to the queue. */
    public record Settlement(List<Orphan> settled, int underWay, int released) {
    }

    /**
     * Settles a dead worker's claims from its journal ({@link DeliveryJournal}): the outcomes it wrote down are
     * recorded as it would have recorded them; the recipients it had not reached go back to the queue; those it
     * was sending (and whatever it left SENDING that no journal claims) are settled as sends under way: a webhook
     * is sent again (same Idempotency-Key), an e-mail or SMS becomes UNKNOWN (it may have gone out: never
     * repeated blindly), logged as failures.
     */
    public Settlement settleDeadWorker(String workerId, int maxAttempts) {
        List<Orphan> settled = new ArrayList<>();
        int released = 0;
        for (DeliveryJournal.ClaimState claim : journal.claims(workerId)) {
            Optional<Channel> channel = runs.channel(claim.campaignId());
            if (channel.isPresent() && !claim.finished().isEmpty()) {
                for (Recorded recorded : deliveries.record(claim.campaignId(), channel.get(), workerId,
                                                           claim.finished())) {
                    settled.add(new Orphan(claim.campaignId(), channel.get(), recorded));
                }
            }
            released += deliveries.release(claim.campaignId(), workerId, claim.notReached());
        }
        List<Orphan> underWay = settleUnderWay(workerId, maxAttempts);
        settled.addAll(underWay);
        journal.clearWorker(workerId);
        return new Settlement(settled, underWay.size(), released);
    }

    /** The rows a dead worker left SENDING once its journal is applied: sends that were under way. */
    private List<Orphan> settleUnderWay(String workerId, int maxAttempts) {
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
        return orphans;
    }
}
