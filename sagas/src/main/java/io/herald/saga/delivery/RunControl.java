package io.herald.saga.delivery;

import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.CampaignFailedEvent;
import io.herald.api.campaign.FailCampaignCommand;
import io.herald.api.campaign.RecordCampaignAudienceCommand;
import io.herald.api.segment.FindCampaignRecipientsQuery;
import io.herald.api.segment.RecipientPage;
import io.herald.saga.delivery.CampaignRuns.ActiveRun;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The control thread's work on runs that are not sending: freezing a campaign's audience page by page
 * (whichever worker holds the run's row lock), recording the frozen audience on the campaign, failing a campaign
 * whose segment is gone, and skipping what a cancelled or failed run has left before finishing it.
 */
final class RunControl {

    // the worker's log: one logger for all its parts
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final DeliveryStore store;
    private final CampaignRuns campaignRuns;
    private final Deliveries deliveries;
    private final ActiveCampaigns active;
    private final Outcomes outcomes;
    private final DeliveryProperties properties;
    private final QueryGateway queries;
    private final CommandGateway commands;
    private final TransactionTemplate transactions;
    private final BooleanSupplier running;

    /** Skip reasons of the recipients a stopped run had left. */
    static final String CANCELLED = "cancelled";
    static final String CAMPAIGN_FAILED = "campaign-failed";

    RunControl(DeliveryStore store, CampaignRuns campaignRuns, Deliveries deliveries, ActiveCampaigns active,
               Outcomes outcomes, DeliveryProperties properties, QueryGateway queries, CommandGateway commands,
               TransactionTemplate transactions, BooleanSupplier running) {
        this.store = store;
        this.campaignRuns = campaignRuns;
        this.deliveries = deliveries;
        this.active = active;
        this.outcomes = outcomes;
        this.properties = properties;
        this.queries = queries;
        this.commands = commands;
        this.transactions = transactions;
        this.running = running;
    }

    /** Writes down one page of the audience (one transaction); the last page freezes it. True: more pages to go. */
    boolean freezePage(ActiveRun run) {
        CampaignMessages messages = active.messages(run.campaignId());
        if (messages == null) {
            return false;
        }
        boolean[] more = {false};
        boolean[] segmentGone = {false};
        CampaignDefinition campaign = messages.definition();
        boolean frozen = Boolean.TRUE.equals(transactions.execute(status -> {
            var position = campaignRuns.lockFreezing(run.campaignId());
            if (position.isEmpty()) {
                return false; // another worker is at it, or it is no longer freezing
            }
            RecipientPage page = queries.query(new FindCampaignRecipientsQuery(campaign.segmentId(), campaign.channel(),
                                                                               position.get().cursor(),
                                                                               properties.worker().freezePageSize()),
                                               RecipientPage.class).join();
            if (page == null) {
                segmentGone[0] = true; // not in the segment read model: deleted, or not projected yet
                return false;
            }
            store.writeAudiencePage(run.campaignId(), campaign.channel(), campaign.segmentId(), page);
            more[0] = page.next() != null;
            return page.next() == null;
        }));
        if (frozen) {
            recordAudience(run);
        }
        if (segmentGone[0]) {
            failForMissingSegment(run, campaign.segmentId());
        }
        return more[0];
    }

    /**
     * The run cannot freeze an audience: its segment is not there. The campaign decides, against the segment registry,
     * whether it is gone for good (then it FAILS and the saga stops the run); while the segment exists the read model
     * only lags, the command is refused and the freeze is tried again on the next round.
     */
    private void failForMissingSegment(ActiveRun run, String segmentId) {
        try (DeliveryTracing.RunScope ignored = DeliveryTracing.forRun(run)) {
            commands.sendAndWait(new FailCampaignCommand(run.campaignId(), CampaignFailedEvent.SEGMENT_DELETED,
                                                         "Segment " + segmentId + " no longer exists: there is no "
                                                                 + "audience to send to"),
                                 Outcomes.metaData(run));
            log.warn("Campaign {}: its segment {} no longer exists; the campaign failed", run.campaignId(), segmentId);
        } catch (RuntimeException e) {
            log.info("Campaign {}: segment {} not readable yet ({}); the freeze is tried again", run.campaignId(),
                     segmentId, e.getMessage());
        }
    }

    void recordAudience(ActiveRun run) {
        CampaignRuns.FrozenAudience audience = campaignRuns.frozenAudience(run.campaignId());
        try (DeliveryTracing.RunScope ignored = DeliveryTracing.forRun(run)) {
            commands.sendAndWait(new RecordCampaignAudienceCommand(run.campaignId(), audience.audience(),
                                                                   audience.skippedAtFreeze(), audience.segmentId(),
                                                                   audience.segmentVersion()),
                                 Outcomes.metaData(run));
            campaignRuns.markAudienceRecorded(run.campaignId());
            log.info("Campaign {}: audience frozen, {} recipients ({} skipped)", run.campaignId(),
                     audience.audience(), audience.skippedAtFreeze());
        } catch (RuntimeException e) {
            log.warn("Campaign {}: recording the audience failed ({}); retried", run.campaignId(), e.getMessage());
        }
    }

    /** Skips what a cancelled or failed run has left ({@code reason}), then finishes the run. */
    void skipRest(ActiveRun run, String reason) {
        while (running.getAsBoolean()) {
            List<Deliveries.Recorded> skipped = new ArrayList<>();
            outcomes.inUnitOfWork(() -> {
                skipped.addAll(deliveries.skipCancelled(run.campaignId(), reason, 2_000));
                if (!skipped.isEmpty()) {
                    outcomes.publish(run.campaignId(), skipped);
                }
            });
            if (skipped.isEmpty()) {
                if (!deliveries.hasUnsettled(run.campaignId())) {
                    campaignRuns.finish(run.campaignId());
                }
                return;
            }
        }
    }
}
