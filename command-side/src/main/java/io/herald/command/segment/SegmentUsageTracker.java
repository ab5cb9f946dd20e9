package io.herald.command.segment;

import io.herald.api.campaign.CampaignCancelledEvent;
import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignCreatedEvent;
import io.herald.api.campaign.CampaignFailedEvent;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.campaign.CampaignPausedEvent;
import io.herald.api.campaign.CampaignResumedEvent;
import io.herald.api.campaign.CampaignScheduledEvent;
import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CampaignUpdatedEvent;
import io.herald.command.CommandSideProcessing;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Which segment each campaign uses and in which status, for the segment delete check. A subscribing
 * processor ({@code segment-usage}, see CommandSideProcessing): it runs inside the transaction of the
 * campaign command, so the table is never behind the campaign, and together with the registry's
 * row locks a segment cannot be deleted while a campaign is being scheduled on it.
 */
@Component
@ProcessingGroup(SegmentUsageTracker.PROCESSING_GROUP)
class SegmentUsageTracker {

    static final String PROCESSING_GROUP = CommandSideProcessing.SEGMENT_USAGE;

    private final SegmentRegistry registry;

    SegmentUsageTracker(SegmentRegistry registry) {
        this.registry = registry;
    }

    @EventHandler
    void on(CampaignCreatedEvent event) {
        registry.recordCampaign(event.campaignId(), event.definition().segmentId(), CampaignStatus.DRAFT.name());
    }

    @EventHandler
    void on(CampaignUpdatedEvent event) {
        registry.recordCampaignSegment(event.campaignId(), event.definition().segmentId());
    }

    @EventHandler
    void on(CampaignScheduledEvent event) {
        registry.recordCampaignStatus(event.campaignId(), CampaignStatus.SCHEDULED.name());
    }

    @EventHandler
    void on(CampaignLaunchedEvent event) {
        registry.recordCampaignStatus(event.campaignId(), CampaignStatus.RUNNING.name());
    }

    @EventHandler
    void on(CampaignPausedEvent event) {
        registry.recordCampaignStatus(event.campaignId(), CampaignStatus.PAUSED.name());
    }

    @EventHandler
    void on(CampaignResumedEvent event) {
        registry.recordCampaignStatus(event.campaignId(), CampaignStatus.RUNNING.name());
    }

    @EventHandler
    void on(CampaignCancelledEvent event) {
        registry.recordCampaignStatus(event.campaignId(), CampaignStatus.CANCELLED.name());
    }

    /** A failed campaign no longer uses its segment. */
    @EventHandler
    void on(CampaignFailedEvent event) {
        registry.recordCampaignStatus(event.campaignId(), CampaignStatus.FAILED.name());
    }

    @EventHandler
    void on(CampaignCompletedEvent event) {
        registry.recordCampaignStatus(event.campaignId(), CampaignStatus.COMPLETED.name());
    }
}
