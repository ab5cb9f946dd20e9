package io.herald.saga.delivery;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.herald.api.campaign.CampaignAudienceFrozenEvent;
import io.herald.api.campaign.CampaignCancelledEvent;
import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignFailedEvent;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.campaign.CampaignPausedEvent;
import io.herald.api.campaign.CampaignResumedEvent;
import io.herald.api.campaign.CompleteCampaignCommand;
import io.herald.api.common.MetadataKeys;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.api.delivery.DeliveryTotals;
import io.herald.saga.SagaProcessing;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The send of one campaign, from launch to COMPLETED, CANCELLED or FAILED. At launch it opens the campaign's
 * run, which the delivery workers pick up: they freeze the audience (the segment evaluated once, every
 * recipient written down), then claim recipients in batches and send them. The saga follows the
 * results (the audience event, then one event per batch) and completes the campaign once the run is
 * settled: every recipient has a final status. The totals come from the run row, which the workers move
 * in the transaction that settles the rows; the saga never adds up batch events itself, so an event
 * delivered twice (event streams deliver at least once) cannot complete a campaign early and cut its
 * send short. Pause, resume, cancel and a failure (the workers found the run cannot go on) reach the workers
 * through the run. Its state is a few flags,
 * whatever the audience size.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@ProcessingGroup(CampaignSendSaga.PROCESSING_GROUP)
public class CampaignSendSaga {

    public static final String PROCESSING_GROUP = SagaProcessing.CAMPAIGN_SEND;
    static final String ASSOCIATION = "campaignId";
    static final String ACTOR = "system:delivery";

    private static final Logger log = LoggerFactory.getLogger(CampaignSendSaga.class);

    private String campaignId;
    private String correlationId;
    /** -1 until the campaign has recorded its frozen audience (it completes only after that). */
    private long audience = -1;
    private boolean paused;
    private boolean completionRequested;

    @StartSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignLaunchedEvent event, MetaData metaData, CampaignRuns runs) {
        campaignId = event.campaignId();
        correlationId = (String) metaData.getOrDefault(MetadataKeys.CORRELATION_ID, campaignId);
        runs.open(campaignId, event.launchedAt(), correlationId, event.definition());
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignAudienceFrozenEvent event, DeliveryStore store, CommandGateway commands) {
        audience = event.audience();
        completeWhenDone(store, commands);
    }

    /** A batch settled: maybe the last one. What it counted is in the run row already. */
    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(DeliveryBatchRecordedEvent event, DeliveryStore store, CommandGateway commands) {
        completeWhenDone(store, commands);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignPausedEvent event, CampaignRuns runs) {
        paused = true;
        runs.setPaused(campaignId, true);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignResumedEvent event, CampaignRuns runs, DeliveryStore store, CommandGateway commands) {
        paused = false;
        runs.setPaused(campaignId, false);
        completionRequested = false; // a completion refused while paused is asked for again
        completeWhenDone(store, commands);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignCancelledEvent event, CampaignRuns runs) {
        runs.cancel(campaignId);
    }

    /** The run cannot go on: the workers skip what it has left (reason {@code campaign-failed}) and finish it. */
    @EndSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignFailedEvent event, CampaignRuns runs) {
        runs.fail(campaignId);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignCompletedEvent event, CampaignRuns runs) {
        runs.finish(campaignId);
    }

    private void completeWhenDone(DeliveryStore store, CommandGateway commands) {
        if (audience < 0 || paused || completionRequested) {
            return;
        }
        Optional<DeliveryTotals> settled = store.settledTotals(campaignId);
        if (settled.isEmpty()) {
            return;
        }
        DeliveryTotals totals = settled.get();
        completionRequested = true;
        // never wait in a saga handler: the outcome comes back as CampaignCompletedEvent
        commands.send(new CompleteCampaignCommand(campaignId, totals),
                      MetaData.with(MetadataKeys.ACTOR, ACTOR).and(MetadataKeys.CORRELATION_ID, correlationId))
                .exceptionally(failure -> {
                    log.warn("Campaign {} could not be completed ({}); it is asked again on resume",
                             campaignId, failure.getMessage());
                    return null;
                });
    }
}
