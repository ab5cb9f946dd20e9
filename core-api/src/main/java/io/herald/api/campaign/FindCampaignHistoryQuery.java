package io.herald.api.campaign;

/** A campaign's events straight from the event store; answered with a {@link CampaignHistoryView} or null. */
public record FindCampaignHistoryQuery(String campaignId) {
}
