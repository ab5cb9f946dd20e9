package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.common.MetadataKeys;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.saga.channel.SendResult;
import io.herald.saga.delivery.CampaignRuns.ActiveRun;
import io.herald.saga.delivery.Deliveries.Claimed;
import io.herald.saga.delivery.Deliveries.Recorded;
import io.herald.saga.delivery.Deliveries.Result;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Outcomes: what a send's result means for its recipient (sent, failed, retried later with backoff, or
 * unknown), and reporting recorded outcomes as {@link DeliveryBatchRecordedEvent}s in the transaction that
 * records them.
 */
final class Outcomes {

    /** The most outcomes one {@link DeliveryBatchRecordedEvent} reports. */
    private static final int EVENT_OUTCOMES = 100;

    private final DeliveryProperties properties;
    private final ActiveCampaigns active;
    private final EventBus eventBus;
    private final TransactionManager axonTransactions;
    private final Clock clock;
    /** The worker's id as it is now (it is renewed when the worker gives one up). */
    private final Supplier<String> workerId;

    Outcomes(DeliveryProperties properties, ActiveCampaigns active, EventBus eventBus,
             TransactionManager axonTransactions, Clock clock, Supplier<String> workerId) {
        this.properties = properties;
        this.active = active;
        this.eventBus = eventBus;
        this.axonTransactions = axonTransactions;
        this.clock = clock;
        this.workerId = workerId;
    }

    // --- what a result means ----------------------------------------------------------------------

    Result outcome(Claimed recipient, Channel channel, SendResult result) {
        return switch (result.outcome()) {
            case SENT -> new Result(recipient.contactId(), DeliveryStatus.SENT, null,
                                    result.providerMessageId(), null, null, true, null);
            case PERMANENT_FAILURE -> failed(recipient, "rejected", result.error());
            case UNKNOWN -> channel == Channel.WEBHOOK
                    ? retryOrFail(recipient, "outcome-unknown", result.error())
                    : new Result(recipient.contactId(), DeliveryStatus.UNKNOWN, "outcome-unknown", null,
                                 result.error(), null, true, "UNKNOWN");
            case TRANSIENT_FAILURE -> retryOrFail(recipient, "transient", result.error());
        };
    }

    private Result retryOrFail(Claimed recipient, String reason, String error) {
        int attempts = recipient.attempts();
        if (attempts >= properties.retry().maxAttempts()) {
            return new Result(recipient.contactId(), DeliveryStatus.FAILED, "retries-exhausted", null,
                              error, null, true, "FAILED");
        }
        return new Result(recipient.contactId(), DeliveryStatus.PENDING, reason, null, error,
                          clock.instant().plus(backoff(attempts)), true, "RETRY_SCHEDULED");
    }

    /** Exponential backoff with full jitter between half and all of the step. */
    Duration backoff(int attempts) {
        long base = properties.retry().initialBackoff().toMillis();
        long max = properties.retry().maxBackoff().toMillis();
        long step = Math.min(max, base << Math.min(20, Math.max(0, attempts - 1)));
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    static Result failed(Claimed recipient, String reason, String error) {
        return new Result(recipient.contactId(), DeliveryStatus.FAILED, reason, null, error, null, true,
                          "FAILED");
    }

    // --- reporting --------------------------------------------------------------------------------

    /** Publishes a batch's outcomes as one event, in the current unit of work (the batch's transaction). */
    void publish(String campaignId, List<Recorded> recorded) {
        if (recorded.isEmpty()) {
            return;
        }
        ActiveRun run = active.run(campaignId);
        // at most EVENT_OUTCOMES recipients per event: events stay small in the store and in its cache
        for (int from = 0; from < recorded.size(); from += EVENT_OUTCOMES) {
            List<Recorded> part = recorded.subList(from, Math.min(recorded.size(), from + EVENT_OUTCOMES));
            eventBus.publish(GenericEventMessage.asEventMessage(batchEvent(campaignId, part))
                                     .andMetaData(metaData(run)));
        }
    }

    /** Publishes a bounce (an SMTP refusal at send time) in the current unit of work, with the run's metadata. */
    void publishFeedback(io.herald.api.feedback.EmailFeedbackEvent event, ActiveRun run) {
        eventBus.publish(GenericEventMessage.asEventMessage(event).andMetaData(metaData(run)));
    }

    private DeliveryBatchRecordedEvent batchEvent(String campaignId, List<Recorded> recorded) {
        CampaignRuns.Tally tally = CampaignRuns.Tally.of(recorded);
        return new DeliveryBatchRecordedEvent(campaignId, workerId.get(), clock.instant(), tally.sent(), tally.failed(),
                                              tally.skipped(), tally.unknown(),
                                              recorded.stream().map(Recorded::outcome).toList());
    }

    /**
     * The delivery actor and the run's correlation id, on what the worker publishes and sends; with tracing on, the
     * trace it belongs to ({@code traceparent}): the batch's span when one is current, else the run's launch.
     */
    static MetaData metaData(ActiveRun run) {
        MetaData metaData = MetaData.with(MetadataKeys.ACTOR, CampaignSendSaga.ACTOR);
        if (run != null && run.correlationId() != null) {
            metaData = metaData.and(MetadataKeys.CORRELATION_ID, run.correlationId());
        }
        String traceparent = DeliveryTracing.currentTraceparent();
        if (traceparent == null && run != null) {
            traceparent = run.traceparent();
        }
        return traceparent == null ? metaData : metaData.and(DeliveryTracing.TRACEPARENT, traceparent);
    }

    /** Runs in one transaction with an Axon unit of work, so published events commit with the rows. */
    void inUnitOfWork(Runnable work) {
        if (CurrentUnitOfWork.isStarted()) {
            work.run();
            return;
        }
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.attachTransaction(axonTransactions);
        unitOfWork.execute(work);
    }
}
