package io.herald.saga.delivery;

import io.herald.api.campaign.CampaignAudienceFrozenEvent;
import io.herald.api.campaign.CampaignCancelledEvent;
import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignFailedEvent;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.campaign.CampaignPausedEvent;
import io.herald.api.campaign.CampaignResumedEvent;
import io.herald.api.delivery.CampaignProgressView;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.api.delivery.DeliveryTotals;
import io.herald.api.delivery.FindCampaignProgressQuery;
import io.herald.api.delivery.FindFailuresQuery;
import io.herald.api.delivery.FailurePage;
import io.herald.saga.SagaProcessing;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.stereotype.Component;

/**
 * Pushes campaign progress and failure-log changes to subscription queries (the API streams them as
 * server-sent events). Every instance reads the whole event stream for this from its head with a token
 * kept in memory (registered by SagaProcessing), so a browser connected to any
 * instance sees the sends of all instances: the event store itself is the fan-out, no extra broker needed.
 */
@Component
@ProcessingGroup(DeliveryLiveUpdates.PROCESSING_GROUP)
public class DeliveryLiveUpdates {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeliveryLiveUpdates.class);

    public static final String PROCESSING_GROUP = SagaProcessing.DELIVERY_LIVE;

    private final DeliveryQueryHandler queries;
    private final QueryUpdateEmitter emitter;
    /** Paused campaigns as the events say so far (this processor sees them in order, the run row may lag). */
    private final java.util.Set<String> paused = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DeliveryLiveUpdates(DeliveryQueryHandler queries, QueryUpdateEmitter emitter) {
        this.queries = queries;
        this.emitter = emitter;
    }

    @EventHandler
    void on(DeliveryBatchRecordedEvent event) {
        progress(event.campaignId());
        if (event.failed() + event.unknown() > 0
                || event.outcomes().stream().anyMatch(outcome -> outcome.reason() != null)) {
            emitter.emit(FindFailuresQuery.class,
                         query -> query.campaignId() == null || query.campaignId().equals(event.campaignId()),
                         new FailurePage(java.util.List.of(), null));
        }
    }

    @EventHandler
    void on(CampaignAudienceFrozenEvent event) {
        progress(event.campaignId());
    }

    @EventHandler
    void on(CampaignLaunchedEvent event) {
        progress(event.campaignId());
    }

    // the saga writes the run's paused flag and DONE on the same events, maybe after these handlers ran:
    // the state pushed is taken from the event, not from the run row

    @EventHandler
    void on(CampaignPausedEvent event) {
        paused.add(event.campaignId());
        progress(event.campaignId(), "PAUSED", null);
    }

    @EventHandler
    void on(CampaignResumedEvent event) {
        paused.remove(event.campaignId());
        progress(event.campaignId(), "SENDING", null);
    }

    @EventHandler
    void on(CampaignCancelledEvent event) {
        paused.remove(event.campaignId());
        progress(event.campaignId());
    }

    @EventHandler
    void on(CampaignFailedEvent event) {
        paused.remove(event.campaignId());
        progress(event.campaignId());
    }

    @EventHandler
    void on(CampaignCompletedEvent event) {
        paused.remove(event.campaignId());
        if (event.totals() == null || event.totals().audience() < 0) {
            progress(event.campaignId(), "DONE", event.completedAt());
            return;
        }
        CampaignProgressView view = queries.progress(event.campaignId());
        if (view == null) {
            return;
        }
        DeliveryTotals totals = event.totals();
        DeliveryTotals read = new DeliveryTotals(view.audience(), view.sent(), view.failed(), view.skipped(),
                                                 view.unknown());
        if (!read.equals(totals)) {
            log.warn("Campaign {} completed with {} but its run row reads {}; the final progress shows the "
                             + "completion's totals", event.campaignId(), totals, read);
        }
        emitter.emit(FindCampaignProgressQuery.class, query -> query.campaignId().equals(event.campaignId()),
                     view.completedWith(totals, event.completedAt()));
    }

    private void progress(String campaignId, String state, java.time.Instant finishedAt) {
        CampaignProgressView view = queries.progress(campaignId);
        if (view == null) {
            return;
        }
        if ("SENDING".equals(state) && !"PAUSED".equals(view.state())) {
            state = view.state(); // resumed while still freezing, say: the row knows better
        }
        emitter.emit(FindCampaignProgressQuery.class, query -> query.campaignId().equals(campaignId),
                     view.withState(state, finishedAt));
    }

    private void progress(String campaignId) {
        CampaignProgressView view = queries.progress(campaignId);
        if (view == null) {
            return;
        }
        boolean pausedByEvents = paused.contains(campaignId);
        if (pausedByEvents != "PAUSED".equals(view.state()) && Set.of("SENDING", "PAUSED").contains(view.state())) {
            progress(campaignId, pausedByEvents ? "PAUSED" : "SENDING", null);
            return;
        }
        emitter.emit(FindCampaignProgressQuery.class, query -> query.campaignId().equals(campaignId), view);
    }
}
