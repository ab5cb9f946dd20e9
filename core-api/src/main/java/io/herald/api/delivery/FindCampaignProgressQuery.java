package io.herald.api.delivery;

/** Where a campaign's send stands; answered with a {@link CampaignProgressView}, or null when it never launched. */
public record FindCampaignProgressQuery(String campaignId) {
}
