package io.herald.api.segment;

import io.herald.api.common.DomainException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A segment cannot be deleted while campaigns, flows or other segments use it (HTTP 409). */
public class SegmentInUseException extends DomainException {

    public static final String CODE = "segment.in-use";

    public SegmentInUseException(String segmentId, List<String> campaignIds, List<String> segmentIds) {
        this(segmentId, campaignIds, segmentIds, List.of());
    }

    public SegmentInUseException(String segmentId, List<String> campaignIds, List<String> segmentIds,
                                 List<String> flowIds) {
        super(Kind.CONFLICT, CODE, "Segment " + segmentId + " is used by " + users(campaignIds, segmentIds, flowIds),
              null, Map.of("campaignIds", campaignIds, "segmentIds", segmentIds, "flowIds", flowIds));
    }

    private static String users(List<String> campaignIds, List<String> segmentIds, List<String> flowIds) {
        List<String> parts = new ArrayList<>();
        if (!campaignIds.isEmpty()) {
            parts.add(campaignIds.size() + " scheduled or running campaign(s)");
        }
        if (!flowIds.isEmpty()) {
            parts.add(flowIds.size() + " flow(s) not archived or stopped");
        }
        if (!segmentIds.isEmpty()) {
            parts.add(segmentIds.size() + " other segment(s)");
        }
        return String.join(" and ", parts);
    }
}
