package io.herald.command.segment;

import io.herald.api.flow.FlowArchivedEvent;
import io.herald.api.flow.FlowCreatedEvent;
import io.herald.api.flow.FlowDraftUpdatedEvent;
import io.herald.api.flow.FlowPublishedEvent;
import io.herald.api.flow.FlowStoppedEvent;
import io.herald.command.CommandSideProcessing;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Which segments each flow uses (its draft's and its latest published version's: segment trigger,
 * branch rules), for the segment delete check, until the flow is archived or stopped. In the
 * {@code segment-usage} group like {@link SegmentUsageTracker}: written in the flow command's
 * transaction, where the flow's segments were also checked and share-locked, so a segment cannot be
 * deleted while a flow starts using it.
 */
@Component
@ProcessingGroup(CommandSideProcessing.SEGMENT_USAGE)
class FlowSegmentUsageTracker {

    static final String DRAFT = "draft";
    static final String PUBLISHED = "published";

    private final SegmentRegistry registry;

    FlowSegmentUsageTracker(SegmentRegistry registry) {
        this.registry = registry;
    }

    @EventHandler
    void on(FlowCreatedEvent event) {
        registry.recordFlowSegments(event.flowId(), DRAFT, event.draft().segmentIds());
    }

    @EventHandler
    void on(FlowDraftUpdatedEvent event) {
        registry.recordFlowSegments(event.flowId(), DRAFT, event.draft().segmentIds());
    }

    @EventHandler
    void on(FlowPublishedEvent event) {
        registry.recordFlowSegments(event.flowId(), PUBLISHED, event.definition().segmentIds());
    }

    @EventHandler
    void on(FlowArchivedEvent event) {
        registry.removeFlow(event.flowId());
    }

    @EventHandler
    void on(FlowStoppedEvent event) {
        registry.removeFlow(event.flowId());
    }
}
