package io.herald.api.segment;

import java.util.List;

/**
 * One page of a segment's members for a campaign.
 *
 * @param next           the contact id to continue after, null at the end
 * @param segmentVersion the version of the rules evaluated
 */
public record RecipientPage(List<Recipient> recipients, String next, long segmentVersion) {

    /** @param skipReason {@code no-address}, {@code unsubscribed}, {@code bounced}, {@code complained}, or null when reachable */
    public record Recipient(String contactId, String skipReason) {
    }
}
