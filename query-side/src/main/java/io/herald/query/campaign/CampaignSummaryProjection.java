package io.herald.query.campaign;

import io.herald.api.campaign.CampaignCancelledEvent;
import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignCreatedEvent;
import io.herald.api.campaign.CampaignDuplicatedEvent;
import io.herald.api.campaign.CampaignFailedEvent;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.campaign.CampaignPage;
import io.herald.api.campaign.CampaignPausedEvent;
import io.herald.api.campaign.CampaignResumedEvent;
import io.herald.api.campaign.CampaignScheduledEvent;
import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CampaignUpdatedEvent;
import io.herald.api.campaign.CampaignView;
import io.herald.api.campaign.FindCampaignQuery;
import io.herald.api.campaign.FindCampaignsQuery;
import io.herald.query.QuerySideProcessing;
import io.herald.eventstore.database.Json;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.Optional;

/**
 * The campaign list and detail read model ({@link CampaignSummaryTable}), written in each campaign
 * command's own transaction (group {@code campaign-summary}, subscribing; README, "Rebuilding
 * {@code campaign_summary}"). Idempotent per event (a row remembers the last sequence number applied),
 * rebuildable by replay, and it pushes every change to subscription queries (live views).
 */
@Component
@ProcessingGroup(CampaignSummaryProjection.PROCESSING_GROUP)
class CampaignSummaryProjection {

    static final String PROCESSING_GROUP = QuerySideProcessing.CAMPAIGN_SUMMARY;
    static final int MAX_PAGE_SIZE = 200;

    private final CampaignSummaryTable table;
    private final QueryUpdateEmitter updateEmitter;

    CampaignSummaryProjection(DataSource dataSource, QueryUpdateEmitter updateEmitter) {
        this.table = new CampaignSummaryTable(dataSource);
        this.updateEmitter = updateEmitter;
    }

    @EventHandler
    void on(CampaignCreatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        emit(table.insert(event.campaignId(), event.definition(), at, sequence));
    }

    @EventHandler
    void on(CampaignUpdatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        var definition = event.definition();
        emit(table.change(event.campaignId(), sequence, at,
                          "name = ?, channel = ?, content = ?::jsonb, segment_id = ?, throttle_per_second = ?, "
                                  + "transactional = ?, template = ?",
                          definition.name(), definition.channel().name(), Json.write(definition.content()),
                          definition.segmentId(), definition.throttlePerSecond(), definition.policyExempt(),
                          definition.markedAsTemplate()));
    }

    /** The source's row records the copy as a change (its version moves on; the copy has a row of its own). */
    @EventHandler
    void on(CampaignDuplicatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        emit(table.change(event.campaignId(), sequence, at, "name = name"));
    }

    @EventHandler
    void on(CampaignScheduledEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        emit(table.change(event.campaignId(), sequence, at, "status = ?, send_at = ?, time_zone = ?",
                          CampaignStatus.SCHEDULED.name(), java.sql.Timestamp.from(event.sendAt()), event.timeZone().getId()));
    }

    @EventHandler
    void on(CampaignLaunchedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        emit(table.change(event.campaignId(), sequence, at, "status = ?, launched_at = ?",
                          CampaignStatus.RUNNING.name(), java.sql.Timestamp.from(event.launchedAt())));
    }

    @EventHandler
    void on(CampaignPausedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        emit(table.change(event.campaignId(), sequence, at, "status = ?", CampaignStatus.PAUSED.name()));
    }

    @EventHandler
    void on(CampaignResumedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        emit(table.change(event.campaignId(), sequence, at, "status = ?", CampaignStatus.RUNNING.name()));
    }

    @EventHandler
    void on(CampaignCancelledEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        emit(table.change(event.campaignId(), sequence, at, "status = ?, finished_at = ?",
                          CampaignStatus.CANCELLED.name(), java.sql.Timestamp.from(event.at())));
    }

    @EventHandler
    void on(CampaignCompletedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        emit(table.change(event.campaignId(), sequence, at, "status = ?, finished_at = ?",
                          CampaignStatus.COMPLETED.name(), java.sql.Timestamp.from(event.completedAt())));
    }

    /** Idempotent like the others: a replayed or redelivered event finds the row at its sequence already. */
    @EventHandler
    void on(CampaignFailedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        emit(table.change(event.campaignId(), sequence, at, "status = ?, finished_at = ?, failure_reason = ?, "
                                  + "failure_detail = ?",
                          CampaignStatus.FAILED.name(), java.sql.Timestamp.from(event.failedAt()), event.reason(),
                          event.detail()));
    }

    @ResetHandler
    void reset() {
        table.deleteAll();
    }

    @QueryHandler
    CampaignView handle(FindCampaignQuery query) {
        return table.find(query.campaignId()).orElse(null);
    }

    @QueryHandler
    CampaignPage handle(FindCampaignsQuery query) {
        int size = Math.clamp(query.size(), 1, MAX_PAGE_SIZE);
        return table.page(query.statuses(), query.template(), Math.max(query.page(), 0), size);
    }

    private void emit(Optional<CampaignView> changed) {
        changed.ifPresent(view -> updateEmitter.emit(FindCampaignQuery.class, q -> q.campaignId().equals(view.id()), view));
    }
}
