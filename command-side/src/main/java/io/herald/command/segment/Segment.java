package io.herald.command.segment;

import io.herald.api.segment.CreateSegmentCommand;
import io.herald.api.segment.DeleteSegmentCommand;
import io.herald.api.segment.SegmentAlreadyExistsException;
import io.herald.api.segment.SegmentCommands;
import io.herald.api.segment.SegmentCreatedEvent;
import io.herald.api.segment.SegmentDefinition;
import io.herald.api.segment.SegmentDeletedEvent;
import io.herald.api.segment.SegmentInUseException;
import io.herald.api.segment.SegmentRules;
import io.herald.api.segment.SegmentUpdatedEvent;
import io.herald.command.ExpectedVersion;
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

import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A segment definition, event-sourced like a campaign so its history says who changed what when.
 * Rules are checked for shape (paths of bad nodes), references to other segments must exist and
 * close no cycle, and a segment in use cannot be deleted.
 */
@Aggregate
final class Segment {

    @AggregateIdentifier
    private String segmentId;
    private SegmentDefinition definition;
    private boolean deleted;
    private long version;

    Segment() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    long handle(CreateSegmentCommand command, SegmentRegistry registry) {
        if (segmentId == null && AggregateLifecycle.getVersion() != null) {
            throw new SegmentAlreadyExistsException(command.segmentId());
        }
        if (segmentId != null) {
            if (!deleted && definition.equals(command.definition())) {
                return version; // a retried create
            }
            throw new SegmentAlreadyExistsException(command.segmentId());
        }
        Set<String> referenced = check(command.segmentId(), command.definition(), registry);
        registry.register(command.segmentId());
        registry.replaceReferences(command.segmentId(), referenced);
        apply(new SegmentCreatedEvent(command.segmentId(), command.definition()));
        return version;
    }

    @CommandHandlerInterceptor
    Object requireSegment(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        if ((segmentId == null || deleted) && !(command.getPayload() instanceof CreateSegmentCommand)) {
            throw new AggregateNotFoundException(command.getPayload() instanceof SegmentCommands c ? c.segmentId() : null,
                                                 "No segment with that id");
        }
        if (segmentId != null) {
            ExpectedVersion.check(command, segmentId, version);
        }
        return chain.proceed();
    }

    @CommandHandler
    long handle(io.herald.api.segment.UpdateSegmentCommand command, SegmentRegistry registry) {
        Set<String> referenced = check(segmentId, command.definition(), registry);
        if (!definition.equals(command.definition())) {
            registry.replaceReferences(segmentId, referenced);
            apply(new SegmentUpdatedEvent(segmentId, command.definition()));
        }
        return version;
    }

    @CommandHandler
    long handle(DeleteSegmentCommand command, SegmentRegistry registry) {
        SegmentRegistry.Usage usage = registry.lockAndFindUsers(segmentId);
        if (!usage.isEmpty()) {
            throw new SegmentInUseException(segmentId, usage.campaignIds(), usage.segmentIds(), usage.flowIds());
        }
        registry.remove(segmentId);
        apply(new SegmentDeletedEvent(segmentId));
        return version;
    }

    private static Set<String> check(String segmentId, SegmentDefinition definition, SegmentRegistry registry) {
        SegmentRules.validate(definition.rules(), "rules");
        Set<String> referenced = SegmentRules.referencedSegments(definition.rules());
        registry.checkReferences(segmentId, referenced);
        registry.requireCampaigns(SegmentRules.referencedCampaigns(definition.rules(), "rules"));
        return referenced;
    }

    @EventSourcingHandler
    void on(SegmentCreatedEvent event, @SequenceNumber long sequence) {
        segmentId = event.segmentId();
        definition = event.definition();
        version = sequence;
    }

    @EventSourcingHandler
    void on(SegmentUpdatedEvent event, @SequenceNumber long sequence) {
        definition = event.definition();
        version = sequence;
    }

    @EventSourcingHandler
    void on(SegmentDeletedEvent event, @SequenceNumber long sequence) {
        deleted = true;
        version = sequence;
    }
}
