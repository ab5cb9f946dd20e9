package io.herald.command.segment;

/**
 * The segments that exist, for aggregates that refer to one (a campaign's audience). A handler
 * takes it as a parameter; the answer holds until the handler's transaction ends (the segment is
 * locked against a concurrent delete).
 */
public interface SegmentDirectory {

    String UNKNOWN_SEGMENT = "campaign.segment.unknown";

    /**
     * @throws io.herald.api.common.DomainException {@value #UNKNOWN_SEGMENT} (HTTP 422) naming
     *                                              {@code field} when no segment has this id
     */
    void requireExists(String segmentId, String field);

    /**
     * The campaigns that rules' engagement nodes name (lower-case id to the path of the node's {@code campaignId})
     * must exist.
     *
     * @throws io.herald.api.common.DomainException {@value io.herald.api.segment.SegmentRules#UNKNOWN_CAMPAIGN}
     *                                              (HTTP 422) naming the path of the first unknown one
     */
    default void requireCampaigns(java.util.Map<String, String> campaignPaths) {
        if (!campaignPaths.isEmpty()) {
            throw new UnsupportedOperationException("this directory does not know campaigns");
        }
    }
}
