package io.herald.command.flow;

import io.herald.api.common.DomainException;
import io.herald.api.flow.ActivateFlowCommand;
import io.herald.api.flow.ArchiveFlowCommand;
import io.herald.api.flow.CreateFlowCommand;
import io.herald.api.flow.FlowActivatedEvent;
import io.herald.api.flow.FlowAlreadyExistsException;
import io.herald.api.flow.FlowArchivedEvent;
import io.herald.api.flow.FlowCommands;
import io.herald.api.flow.FlowCreatedEvent;
import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowDefinitionException;
import io.herald.api.flow.FlowDraftUpdatedEvent;
import io.herald.api.flow.FlowNotPublishedException;
import io.herald.api.flow.FlowPausedEvent;
import io.herald.api.flow.FlowRunsMovedEvent;
import io.herald.api.flow.RecordFlowRunsMovedCommand;
import io.herald.api.flow.FlowPublishedEvent;
import io.herald.api.flow.FlowResumedEvent;
import io.herald.api.flow.FlowStatus;
import io.herald.api.flow.FlowStoppedEvent;
import io.herald.api.flow.IllegalFlowTransitionException;
import io.herald.api.flow.PauseFlowCommand;
import io.herald.api.flow.PublishFlowCommand;
import io.herald.api.flow.ResumeFlowCommand;
import io.herald.api.flow.StopFlowCommand;
import io.herald.api.flow.UpdateFlowDraftCommand;
import io.herald.command.ExpectedVersion;
import io.herald.command.segment.SegmentDirectory;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A flow: a draft definition, numbered immutable published versions (each stored whole in its
 * {@link FlowPublishedEvent}) and a lifecycle DRAFT → ACTIVE ⇄ PAUSED → ARCHIVED, or → STOPPED. Its
 * event stream is its audit. Command handlers return the aggregate version after the change.
 */
@Aggregate
final class Flow {

    /** 422: a move of runs between versions that are not an earlier and a later published one. */
    static final String RUNS_MOVE_INVALID = "flow.runs-move.invalid";

    @AggregateIdentifier
    private String flowId;
    private String name;
    private FlowDefinition draft;
    private FlowStatus status;
    private int latestVersion;
    private String publishedName;
    private FlowDefinition published;
    private long version;

    Flow() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    long handle(CreateFlowCommand command, SegmentDirectory segments) {
        if (flowId == null && AggregateLifecycle.getVersion() != null) {
            // the id already names a stream of another kind: never append a flow to it
            throw new FlowAlreadyExistsException(command.flowId());
        }
        if (flowId != null) {
            // a retried create: same id, name and draft answer as before, anything else is a conflict
            if (version == 0 && name.equals(command.name()) && draft.equals(command.definition())) {
                return version;
            }
            throw new FlowAlreadyExistsException(command.flowId());
        }
        check(command.definition(), segments);
        apply(new FlowCreatedEvent(command.flowId(), command.name(), command.definition()));
        return version;
    }

    /** Commands other than create must find a flow here, not an id of something else. */
    @CommandHandlerInterceptor
    Object requireFlow(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        if (flowId == null && !(command.getPayload() instanceof CreateFlowCommand)) {
            throw new AggregateNotFoundException(command.getPayload() instanceof FlowCommands c ? c.flowId() : null,
                                                 "No flow with that id");
        }
        if (flowId != null) {
            ExpectedVersion.check(command, flowId, version);
        }
        return chain.proceed();
    }

    @CommandHandler
    long handle(UpdateFlowDraftCommand command, SegmentDirectory segments) {
        if (status.isFinal()) {
            throw new IllegalFlowTransitionException(flowId, status, "edit");
        }
        if (!name.equals(command.name()) || !draft.equals(command.definition())) {
            check(command.definition(), segments);
            apply(new FlowDraftUpdatedEvent(flowId, command.name(), command.definition()));
        }
        return version;
    }

    @CommandHandler
    long handle(PublishFlowCommand command, SegmentDirectory segments, Clock clock) {
        if (status.isFinal()) {
            throw new IllegalFlowTransitionException(flowId, status, "publish");
        }
        if (latestVersion > 0 && name.equals(publishedName) && draft.equals(published)) {
            return version; // nothing changed since the latest version (or a retried publish)
        }
        check(draft, segments); // the segments it refers to may be gone since the draft was saved
        apply(new FlowPublishedEvent(flowId, latestVersion + 1, name, draft, clock.instant()));
        return version;
    }

    @CommandHandler
    long handle(ActivateFlowCommand command, Clock clock) {
        if (status != FlowStatus.DRAFT) {
            throw new IllegalFlowTransitionException(flowId, status, "activate");
        }
        if (latestVersion == 0) {
            throw new FlowNotPublishedException(flowId);
        }
        apply(new FlowActivatedEvent(flowId, latestVersion, clock.instant()));
        return version;
    }

    @CommandHandler
    long handle(PauseFlowCommand command, Clock clock) {
        if (status != FlowStatus.ACTIVE) {
            throw new IllegalFlowTransitionException(flowId, status, "pause");
        }
        apply(new FlowPausedEvent(flowId, clock.instant()));
        return version;
    }

    @CommandHandler
    long handle(ResumeFlowCommand command, Clock clock) {
        if (status != FlowStatus.PAUSED) {
            throw new IllegalFlowTransitionException(flowId, status, "resume");
        }
        apply(new FlowResumedEvent(flowId, clock.instant()));
        return version;
    }

    @CommandHandler
    long handle(ArchiveFlowCommand command, Clock clock) {
        if (!status.canMoveTo(FlowStatus.ARCHIVED)) {
            throw new IllegalFlowTransitionException(flowId, status, "archive");
        }
        apply(new FlowArchivedEvent(flowId, status, clock.instant()));
        return version;
    }

    @CommandHandler
    long handle(StopFlowCommand command, Clock clock) {
        if (!status.canMoveTo(FlowStatus.STOPPED)) {
            throw new IllegalFlowTransitionException(flowId, status, "stop");
        }
        apply(new FlowStoppedEvent(flowId, status, clock.instant()));
        return version;
    }

    /**
     * The audit of a move of runs between versions, done by the flow runtime in this command's transaction: from an
     * earlier published version to a later one, not once the flow is stopped.
     */
    @CommandHandler
    long handle(RecordFlowRunsMovedCommand command, Clock clock) {
        if (status == FlowStatus.STOPPED) {
            throw new IllegalFlowTransitionException(flowId, status, "move-runs");
        }
        if (command.fromVersion() < 1 || command.fromVersion() >= command.toVersion()
                || command.toVersion() > latestVersion) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, RUNS_MOVE_INVALID,
                                      "runs move from a published version to a later one (latest: " + latestVersion
                                              + "), not from " + command.fromVersion() + " to " + command.toVersion());
        }
        apply(new FlowRunsMovedEvent(flowId, command.fromVersion(), command.toVersion(), command.moved(),
                                     command.stayed(), clock.instant()));
        return version;
    }

    /**
     * The definition's rules, then the segments (and the campaigns of branch rules' engagement nodes) it refers to
     * must exist (422 naming the node and field).
     */
    private static void check(FlowDefinition definition, SegmentDirectory segments) {
        for (FlowDefinitionValidator.SegmentReference reference : FlowDefinitionValidator.validate(definition)) {
            try {
                segments.requireExists(reference.segmentId(), reference.field());
            } catch (DomainException e) {
                if (!Objects.equals(e.code(), SegmentDirectory.UNKNOWN_SEGMENT)) {
                    throw e;
                }
                throw new FlowDefinitionException(FlowDefinitionException.SEGMENT_UNKNOWN, reference.nodeId(),
                                                  reference.field(), "no segment with id " + reference.segmentId(),
                                                  Map.of("segmentId", reference.segmentId()));
            }
        }
        // the campaigns a branch rule's engagement nodes name
        for (io.herald.api.flow.FlowNode node : definition.nodes() == null ? java.util.List.<io.herald.api.flow.FlowNode>of()
                                                                           : definition.nodes()) {
            if (node instanceof io.herald.api.flow.FlowNode.Branch branch && branch.rule() != null) {
                java.util.Map<String, String> campaigns =
                        io.herald.api.segment.SegmentRules.referencedCampaigns(branch.rule(), "rule");
                for (java.util.Map.Entry<String, String> campaign : campaigns.entrySet()) {
                    try {
                        segments.requireCampaigns(java.util.Map.of(campaign.getKey(), campaign.getValue()));
                    } catch (DomainException e) {
                        if (!Objects.equals(e.code(), io.herald.api.segment.SegmentRules.UNKNOWN_CAMPAIGN)) {
                            throw e;
                        }
                        throw new FlowDefinitionException(FlowDefinitionException.CAMPAIGN_UNKNOWN, branch.id(),
                                                          campaign.getValue(), "no campaign with id " + campaign.getKey(),
                                                          Map.of("campaignId", campaign.getKey()));
                    }
                }
            }
        }
    }

    @EventSourcingHandler
    void on(FlowCreatedEvent event, @SequenceNumber long sequence) {
        flowId = event.flowId();
        name = event.name();
        draft = event.draft();
        status = FlowStatus.DRAFT;
        version = sequence;
    }

    @EventSourcingHandler
    void on(FlowDraftUpdatedEvent event, @SequenceNumber long sequence) {
        name = event.name();
        draft = event.draft();
        version = sequence;
    }

    @EventSourcingHandler
    void on(FlowPublishedEvent event, @SequenceNumber long sequence) {
        latestVersion = event.version();
        publishedName = event.name();
        published = event.definition();
        version = sequence;
    }

    @EventSourcingHandler
    void on(FlowActivatedEvent event, @SequenceNumber long sequence) {
        status = FlowStatus.ACTIVE;
        version = sequence;
    }

    @EventSourcingHandler
    void on(FlowPausedEvent event, @SequenceNumber long sequence) {
        status = FlowStatus.PAUSED;
        version = sequence;
    }

    @EventSourcingHandler
    void on(FlowResumedEvent event, @SequenceNumber long sequence) {
        status = FlowStatus.ACTIVE;
        version = sequence;
    }

    @EventSourcingHandler
    void on(FlowArchivedEvent event, @SequenceNumber long sequence) {
        status = FlowStatus.ARCHIVED;
        version = sequence;
    }

    @EventSourcingHandler
    void on(FlowRunsMovedEvent event, @SequenceNumber long sequence) {
        version = sequence;
    }

    @EventSourcingHandler
    void on(FlowStoppedEvent event, @SequenceNumber long sequence) {
        status = FlowStatus.STOPPED;
        version = sequence;
    }
}
