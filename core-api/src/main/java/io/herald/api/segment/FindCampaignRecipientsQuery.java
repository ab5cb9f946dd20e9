package io.herald.api.segment;

import io.herald.api.campaign.Channel;

/**
 * All members of a segment for a campaign on {@code channel}, each with the reason it cannot be
 * reached there (null when it can). Keyset-paged by contact id; answered with a {@link RecipientPage}
 * or null when the segment does not exist.
 */
public record FindCampaignRecipientsQuery(String segmentId, Channel channel, String afterContactId, int limit) {
}
