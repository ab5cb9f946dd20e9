package io.herald.api.segment;

import io.herald.api.campaign.Channel;

/**
 * The contacts a campaign on {@code channel} may reach in a segment: its members that have an
 * address for the channel and whose consent there is not UNSUBSCRIBED, BOUNCED or COMPLAINED.
 * Keyset-paged by contact id; answered with a {@link SegmentAudienceView} or null.
 */
public record FindSegmentAudienceQuery(String segmentId, Channel channel, String afterContactId, int limit) {
}
