package io.herald.api.engagement;

/**
 * A campaign's opens and clicks as counted by the campaign-report read model; answered with a
 * {@link CampaignEngagementView} (all zeros and no rows for a campaign nobody opened or clicked yet).
 */
public record FindCampaignEngagementQuery(String campaignId) {
}
