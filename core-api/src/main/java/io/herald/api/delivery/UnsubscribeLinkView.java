package io.herald.api.delivery;

import io.herald.api.campaign.Channel;

/**
 * A valid unsubscribe link: the channel it unsubscribes from and the campaign whose message
 * carried it (null for messages outside a campaign). The contact is deliberately not shown.
 */
public record UnsubscribeLinkView(Channel channel, String campaignId) {
}
