package io.herald.saga.delivery;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.herald.api.campaign.CampaignAudienceFrozenEvent;
import io.herald.api.campaign.CampaignCancelledEvent;
import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.campaign.CampaignPausedEvent;
import io.herald.api.campaign.CampaignResumedEvent;
import io.herald.api.campaign.CompleteCampaignCommand;
import io.herald.api.common.MetadataKeys;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.api.delivery.DeliveryTotals;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send of one campaign, from launch to COMPLETED or CANCELLED. At launch it opens the campaign's
 * run, which the delivery workers pick up: they freeze the audience (the segment evaluated once, every
 * recipient written down), then claim recipients in batches and send them. The saga follows the
 * results (the audience event, then one event per batch) and completes the campaign when
 * sent + failed + skipped + unknown reaches the audience. Pause, resume and cancel reach the workers
 * through the run. Its state is a handful of counters, whatever the audience size.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@ProcessingGroup(CampaignSendSaga.PROCESSING_GROUP)
public class CampaignSendSaga {

    public static final String PROCESSING_GROUP = "campaign-send";
    static final String ASSOCIATION = "campaignId";
    static final String ACTOR = "system:delivery";

    private static final Logger log = LoggerFactory.getLogger(CampaignSendSaga.class);

    private String campaignId;
    private String correlationId;
    /** -1 until the audience is frozen. */
    private long audience = -1;
    private long sent;
    private long failed;
    private long skipped;
    private long unknown;
    private boolean paused;
    private boolean completionRequested;

    @StartSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignLaunchedEvent event, MetaData metaData, DeliveryStore runs) {
        campaignId = event.campaignId();
        correlationId = (String) metaData.getOrDefault(MetadataKeys.CORRELATION_ID, campaignId);
        runs.open(campaignId, event.launchedAt(), correlationId);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignAudienceFrozenEvent event, CommandGateway commands) {
        audience = event.audience();
        skipped += event.skipped();
        completeWhenDone(commands);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(DeliveryBatchRecordedEvent event, CommandGateway commands) {
        sent += event.sent();
        failed += event.failed();
        skipped += event.skipped();
        unknown += event.unknown();
        completeWhenDone(commands);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignPausedEvent event, DeliveryStore runs) {
        paused = true;
        runs.setPaused(campaignId, true);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignResumedEvent event, DeliveryStore runs, CommandGateway commands) {
        paused = false;
        runs.setPaused(campaignId, false);
        completionRequested = false; // a completion refused while paused is asked for again
        completeWhenDone(commands);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignCancelledEvent event, DeliveryStore runs) {
        runs.cancel(campaignId);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    public void on(CampaignCompletedEvent event, DeliveryStore runs) {
        runs.finish(campaignId);
    }

    private void completeWhenDone(CommandGateway commands) {
        DeliveryTotals totals = new DeliveryTotals(audience, sent, failed, skipped, unknown);
        if (audience < 0 || totals.finished() < audience || paused || completionRequested) {
            return;
        }
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

    // for the saga test fixture and diagnostics
    DeliveryTotals totals() {
        return new DeliveryTotals(audience, sent, failed, skipped, unknown);
    }
}
