package io.herald.api.campaign;

/** One campaign's current state; answered with a {@link CampaignView}, or null when unknown. */
public record FindCampaignQuery(String campaignId) {
}
