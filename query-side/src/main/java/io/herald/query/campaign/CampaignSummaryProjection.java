package io.herald.query.campaign;

import io.herald.api.campaign.CampaignCancelledEvent;
import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignCreatedEvent;
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
import jakarta.persistence.EntityManager;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * The campaign list and detail read model. Idempotent per event (it remembers the last sequence
 * number applied), rebuildable by replay, and it pushes every change to subscription queries so
 * the API can answer read-your-writes without polling.
 */
@Component
@ProcessingGroup(CampaignSummaryProjection.PROCESSING_GROUP)
class CampaignSummaryProjection {

    static final String PROCESSING_GROUP = QuerySideProcessing.CAMPAIGN_SUMMARY;
    static final int MAX_PAGE_SIZE = 200;

    private final EntityManager entityManager;
    private final CampaignSummaryRepository repository;
    private final QueryUpdateEmitter updateEmitter;

    CampaignSummaryProjection(EntityManager entityManager, CampaignSummaryRepository repository,
                              QueryUpdateEmitter updateEmitter) {
        this.entityManager = entityManager;
        this.repository = repository;
        this.updateEmitter = updateEmitter;
    }

    @EventHandler
    void on(CampaignCreatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (entityManager.find(CampaignSummary.class, event.campaignId()) != null) {
            return; // already projected (redelivery)
        }
        CampaignSummary summary = new CampaignSummary(event.campaignId(), event.definition(), at, sequence);
        entityManager.persist(summary);
        emit(summary);
    }

    @EventHandler
    void on(CampaignUpdatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        change(event.campaignId(), sequence, at, s -> s.define(event.definition()));
    }

    @EventHandler
    void on(CampaignScheduledEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        change(event.campaignId(), sequence, at, s -> s.schedule(event.sendAt(), event.timeZone()));
    }

    @EventHandler
    void on(CampaignLaunchedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        change(event.campaignId(), sequence, at, s -> s.launched(event.launchedAt()));
    }

    @EventHandler
    void on(CampaignPausedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        change(event.campaignId(), sequence, at, s -> s.status(CampaignStatus.PAUSED));
    }

    @EventHandler
    void on(CampaignResumedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        change(event.campaignId(), sequence, at, s -> s.status(CampaignStatus.RUNNING));
    }

    @EventHandler
    void on(CampaignCancelledEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        change(event.campaignId(), sequence, at, s -> s.finished(CampaignStatus.CANCELLED, event.at()));
    }

    @EventHandler
    void on(CampaignCompletedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        change(event.campaignId(), sequence, at, s -> s.finished(CampaignStatus.COMPLETED, event.completedAt()));
    }

    @ResetHandler
    void reset() {
        repository.deleteAllInBatch();
    }

    @QueryHandler
    CampaignView handle(FindCampaignQuery query) {
        return repository.findById(query.campaignId()).map(CampaignSummary::toView).orElse(null);
    }

    @QueryHandler
    CampaignPage handle(FindCampaignsQuery query) {
        int size = Math.clamp(query.size(), 1, MAX_PAGE_SIZE);
        PageRequest request = PageRequest.of(Math.max(query.page(), 0), size,
                                             Sort.by(Sort.Order.desc("updatedAt"), Sort.Order.asc("id")));
        Page<CampaignSummary> page = query.statuses().isEmpty()
                ? repository.findAll(request)
                : repository.findByStatusIn(query.statuses(), request);
        return new CampaignPage(page.map(CampaignSummary::toView).getContent(), page.getNumber(), page.getSize(),
                                page.getTotalElements(), page.getTotalPages());
    }

    private void change(String campaignId, long sequence, Instant at, Consumer<CampaignSummary> change) {
        CampaignSummary summary = entityManager.find(CampaignSummary.class, campaignId);
        if (summary == null) {
            throw new IllegalStateException("No campaign_summary row for " + campaignId + " at sequence " + sequence);
        }
        if (summary.hasSeen(sequence)) {
            return;
        }
        change.accept(summary);
        summary.touch(at, sequence);
        emit(summary);
    }

    private void emit(CampaignSummary summary) {
        CampaignView view = summary.toView();
        updateEmitter.emit(FindCampaignQuery.class, q -> q.campaignId().equals(view.id()), view);
    }
}
