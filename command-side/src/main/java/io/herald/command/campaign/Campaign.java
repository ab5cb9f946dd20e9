package io.herald.command.campaign;

import io.herald.api.campaign.CampaignAlreadyExistsException;
import io.herald.api.campaign.CampaignAudienceFrozenEvent;
import io.herald.api.campaign.RecordCampaignAudienceCommand;
import io.herald.api.campaign.CampaignCancelledEvent;
import io.herald.api.campaign.CampaignCommands;
import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignCreatedEvent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.campaign.CampaignPausedEvent;
import io.herald.api.campaign.CampaignResumedEvent;
import io.herald.api.campaign.CampaignScheduledEvent;
import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CampaignUpdatedEvent;
import io.herald.api.campaign.CancelCampaignCommand;
import io.herald.api.campaign.CompleteCampaignCommand;
import io.herald.api.campaign.CreateCampaignCommand;
import io.herald.api.campaign.CampaignDuplicatedEvent;
import io.herald.api.campaign.CampaignFailedEvent;
import io.herald.api.campaign.FailCampaignCommand;
import io.herald.api.campaign.DuplicateCampaignCommand;
import io.herald.api.campaign.IllegalCampaignTransitionException;
import io.herald.api.campaign.LaunchCampaignCommand;
import io.herald.api.campaign.LaunchTrigger;
import io.herald.api.campaign.PauseCampaignCommand;
import io.herald.api.campaign.ResumeCampaignCommand;
import io.herald.api.campaign.ScheduleCampaignCommand;
import io.herald.api.campaign.UpdateCampaignCommand;
import io.herald.api.common.DomainException;
import io.herald.command.ExpectedVersion;
import io.herald.api.common.MetadataKeys;
import io.herald.command.segment.SegmentDirectory;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A campaign and its lifecycle. Command handlers decide and return the aggregate version after
 * the change (the API waits for the read model to reach it); event sourcing handlers change state.
 */
@Aggregate
final class Campaign {

    static final String LAUNCH_DEADLINE = "campaign-launch";
    static final String SCHEDULER_ACTOR = "system:scheduler";

    @AggregateIdentifier
    private String campaignId;
    private CampaignDefinition definition;
    private CampaignStatus status;
    private Instant sendAt;
    private long version;
    private boolean audienceFrozen;
    /** Ids of the copies made of this campaign, so a retried duplicate makes no second one. */
    private final Set<String> copies = new HashSet<>();

    Campaign() {
        // for Axon
    }

    /** A copy of {@code source}, created by the source's {@link DuplicateCampaignCommand} handler. */
    private Campaign(String copyId, CampaignDefinition definition, String source) {
        apply(new CampaignCreatedEvent(copyId, definition, source));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    long handle(CreateCampaignCommand command, SegmentDirectory segments) {
        CampaignDefinitionRules.check(command.definition());
        if (campaignId == null && AggregateLifecycle.getVersion() != null) {
            // the id already names a stream of another kind: never append a campaign to it
            throw new CampaignAlreadyExistsException(command.campaignId());
        }
        if (campaignId != null) {
            // a retried create: same id and definition answer as before, anything else is a conflict
            if (status == CampaignStatus.DRAFT && definition.equals(command.definition())) {
                return version;
            }
            throw new CampaignAlreadyExistsException(command.campaignId());
        }
        CampaignDefinitionRules.checkSegment(command.definition(), segments);
        apply(new CampaignCreatedEvent(command.campaignId(), command.definition()));
        return version;
    }

    /** Commands other than create must find a campaign here, not an id of something else. */
    @CommandHandlerInterceptor
    Object requireCampaign(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        if (campaignId == null && !(command.getPayload() instanceof CreateCampaignCommand)) {
            throw new AggregateNotFoundException(command.getPayload() instanceof CampaignCommands c
                                                         ? c.campaignId() : null, "No campaign with that id");
        }
        if (campaignId != null) {
            ExpectedVersion.check(command, campaignId, version);
        }
        return chain.proceed();
    }

    @CommandHandler
    long handle(UpdateCampaignCommand command, SegmentDirectory segments) {
        if (!status.isEditable()) {
            throw new IllegalCampaignTransitionException(campaignId, status, "edit");
        }
        CampaignDefinitionRules.check(command.definition());
        if (!definition.equals(command.definition())) {
            CampaignDefinitionRules.checkSegment(command.definition(), segments);
            apply(new CampaignUpdatedEvent(campaignId, command.definition()));
        }
        return version;
    }

    /**
     * Makes the copy as a new aggregate in this unit of work (both streams are written in one transaction) and records
     * it in this campaign's history. Answers the copy's version (0), also for a retry with the same copy id.
     */
    @CommandHandler
    long handle(DuplicateCampaignCommand command, SegmentDirectory segments) throws Exception {
        if (copies.contains(command.copyId())) {
            return 0L; // a retry: the copy exists
        }
        if (command.copyId().equals(campaignId)) {
            throw new CampaignAlreadyExistsException(command.copyId());
        }
        CampaignDefinition copy = definition.copyNamed(command.copyName().strip());
        CampaignDefinitionRules.check(copy);
        CampaignDefinitionRules.checkSegment(copy, segments);
        AggregateLifecycle.createNew(Campaign.class, () -> new Campaign(command.copyId(), copy, campaignId));
        apply(new CampaignDuplicatedEvent(campaignId, command.copyId(), copy.name()));
        return 0L;
    }

    @CommandHandler
    long handle(ScheduleCampaignCommand command, MetaData metaData, DeadlineManager deadlineManager, Clock clock,
                SegmentDirectory segments) {
        requireMove(CampaignStatus.SCHEDULED, "schedule");
        CampaignDefinitionRules.requireSegment(definition, segments);
        Instant now = clock.instant();
        if (!command.sendAt().isAfter(now)) {
            throw DomainException.invalid("sendAt", "campaign.schedule.in-past", "sendAt must be in the future");
        }
        if (command.sendAt().isAfter(now.atZone(command.timeZone()).plusYears(1).toInstant())) {
            throw DomainException.invalid("sendAt", "campaign.schedule.too-far",
                                          "sendAt must be at most one year ahead");
        }
        deadlineManager.cancelAllWithinScope(LAUNCH_DEADLINE);
        // the launch is done by the scheduler, in the correlation of the request that scheduled it
        MetaData launchMetaData = MetaData.with(MetadataKeys.ACTOR, SCHEDULER_ACTOR)
                .and(MetadataKeys.CORRELATION_ID, metaData.getOrDefault(MetadataKeys.CORRELATION_ID, campaignId));
        deadlineManager.schedule(command.sendAt(), LAUNCH_DEADLINE,
                                 new GenericMessage<>(new CampaignLaunchDue(command.sendAt()), launchMetaData));
        apply(new CampaignScheduledEvent(campaignId, command.sendAt(), command.timeZone(),
                                         status == CampaignStatus.SCHEDULED ? sendAt : null));
        return version;
    }

    @CommandHandler
    long handle(LaunchCampaignCommand command, DeadlineManager deadlineManager, Clock clock,
                SegmentDirectory segments) {
        requireMove(CampaignStatus.RUNNING, "launch");
        if (status == CampaignStatus.PAUSED) {
            throw new IllegalCampaignTransitionException(campaignId, status, "launch");
        }
        CampaignDefinitionRules.requireSegment(definition, segments);
        if (status == CampaignStatus.SCHEDULED) {
            deadlineManager.cancelAllWithinScope(LAUNCH_DEADLINE);
        }
        apply(new CampaignLaunchedEvent(campaignId, clock.instant(), LaunchTrigger.MANUAL, definition));
        return version;
    }

    @DeadlineHandler(deadlineName = LAUNCH_DEADLINE)
    void on(CampaignLaunchDue due, MetaData metaData, Clock clock) {
        if (status != CampaignStatus.SCHEDULED || !due.sendAt().equals(sendAt)) {
            return; // a stale deadline: rescheduled, launched by hand or cancelled since
        }
        apply(new CampaignLaunchedEvent(campaignId, clock.instant(), LaunchTrigger.SCHEDULE, definition),
              metaData.subset(MetadataKeys.ACTOR, MetadataKeys.CORRELATION_ID));
    }

    @CommandHandler
    long handle(PauseCampaignCommand command, Clock clock) {
        requireMove(CampaignStatus.PAUSED, "pause");
        apply(new CampaignPausedEvent(campaignId, clock.instant()));
        return version;
    }

    @CommandHandler
    long handle(ResumeCampaignCommand command, Clock clock) {
        if (status != CampaignStatus.PAUSED) {
            throw new IllegalCampaignTransitionException(campaignId, status, "resume");
        }
        apply(new CampaignResumedEvent(campaignId, clock.instant()));
        return version;
    }

    @CommandHandler
    long handle(CancelCampaignCommand command, DeadlineManager deadlineManager, Clock clock) {
        requireMove(CampaignStatus.CANCELLED, "cancel");
        if (status == CampaignStatus.SCHEDULED) {
            deadlineManager.cancelAllWithinScope(LAUNCH_DEADLINE);
        }
        apply(new CampaignCancelledEvent(campaignId, status, command.reason(), clock.instant()));
        return version;
    }

    @CommandHandler
    long handle(CompleteCampaignCommand command, Clock clock) {
        if (status != CampaignStatus.RUNNING) {
            throw new IllegalCampaignTransitionException(campaignId, status, "complete");
        }
        apply(new CampaignCompletedEvent(campaignId, clock.instant(), command.totals()));
        return version;
    }

    /**
     * The run cannot go on: the campaign is FAILED for good. Asked by the delivery workers, perhaps more than once
     * (several senders, a retry after a crash): a campaign already FAILED answers as before. A segment reported gone
     * is checked against the segment registry: while it exists (the workers' read model only lags), nothing fails.
     */
    @CommandHandler
    long handle(FailCampaignCommand command, Clock clock, SegmentDirectory segments) {
        if (status == CampaignStatus.FAILED) {
            return version;
        }
        requireMove(CampaignStatus.FAILED, "fail");
        if (CampaignFailedEvent.SEGMENT_DELETED.equals(command.reason()) && segmentExists(segments)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "campaign.segment.exists",
                                      "Segment " + definition.segmentId() + " of campaign " + campaignId
                                              + " still exists", null, java.util.Map.of());
        }
        apply(new CampaignFailedEvent(campaignId, status, command.reason(), command.detail(), clock.instant()));
        return version;
    }

    private boolean segmentExists(SegmentDirectory segments) {
        if (definition.segmentId() == null) {
            return false;
        }
        try {
            segments.requireExists(definition.segmentId(), "segmentId");
            return true;
        } catch (DomainException e) {
            if (SegmentDirectory.UNKNOWN_SEGMENT.equals(e.code())) {
                return false;
            }
            throw e;
        }
    }

    @CommandHandler
    long handle(RecordCampaignAudienceCommand command, Clock clock) {
        if (audienceFrozen) {
            return version; // recorded once; a worker that retries after a crash gets the same answer
        }
        if (status != CampaignStatus.RUNNING && status != CampaignStatus.PAUSED
                && status != CampaignStatus.CANCELLED && status != CampaignStatus.FAILED) {
            throw new IllegalCampaignTransitionException(campaignId, status, "record-audience");
        }
        apply(new CampaignAudienceFrozenEvent(campaignId, command.audience(), command.skipped(), command.segmentId(),
                                              command.segmentVersion(), clock.instant()));
        return version;
    }

    private void requireMove(CampaignStatus target, String action) {
        if (!status.canMoveTo(target)) {
            throw new IllegalCampaignTransitionException(campaignId, status, action);
        }
    }

    @EventSourcingHandler
    void on(CampaignCreatedEvent event, @SequenceNumber long sequence) {
        campaignId = event.campaignId();
        definition = event.definition();
        status = CampaignStatus.DRAFT;
        version = sequence;
    }

    @EventSourcingHandler
    void on(CampaignUpdatedEvent event, @SequenceNumber long sequence) {
        definition = event.definition();
        version = sequence;
    }

    @EventSourcingHandler
    void on(CampaignScheduledEvent event, @SequenceNumber long sequence) {
        status = CampaignStatus.SCHEDULED;
        sendAt = event.sendAt();
        version = sequence;
    }

    @EventSourcingHandler
    void on(CampaignLaunchedEvent event, @SequenceNumber long sequence) {
        status = CampaignStatus.RUNNING;
        version = sequence;
    }

    @EventSourcingHandler
    void on(CampaignPausedEvent event, @SequenceNumber long sequence) {
        status = CampaignStatus.PAUSED;
        version = sequence;
    }

    @EventSourcingHandler
    void on(CampaignResumedEvent event, @SequenceNumber long sequence) {
        status = CampaignStatus.RUNNING;
        version = sequence;
    }

    @EventSourcingHandler
    void on(CampaignCancelledEvent event, @SequenceNumber long sequence) {
        status = CampaignStatus.CANCELLED;
        version = sequence;
    }

    @EventSourcingHandler
    void on(CampaignDuplicatedEvent event, @SequenceNumber long sequence) {
        copies.add(event.copyId());
        version = sequence;
    }

    @EventSourcingHandler
    void on(CampaignAudienceFrozenEvent event, @SequenceNumber long sequence) {
        audienceFrozen = true;
        version = sequence;
    }

    @EventSourcingHandler
    void on(CampaignFailedEvent event, @SequenceNumber long sequence) {
        status = CampaignStatus.FAILED;
        version = sequence;
    }

    @EventSourcingHandler
    void on(CampaignCompletedEvent event, @SequenceNumber long sequence) {
        status = CampaignStatus.COMPLETED;
        version = sequence;
    }
}
