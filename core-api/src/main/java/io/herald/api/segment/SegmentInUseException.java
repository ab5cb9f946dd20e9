package io.herald.api.segment;

import io.herald.api.common.DomainException;

import java.util.List;
import java.util.Map;

/** A segment cannot be deleted while campaigns or other segments use it (HTTP 409). */
public class SegmentInUseException extends DomainException {

    public static final String CODE = "segment.in-use";

    public SegmentInUseException(String segmentId, List<String> campaignIds, List<String> segmentIds) {
        super(Kind.CONFLICT, CODE, "Segment " + segmentId + " is used by "
                      + (campaignIds.isEmpty() ? "" : campaignIds.size() + " scheduled or running campaign(s)")
                      + (!campaignIds.isEmpty() && !segmentIds.isEmpty() ? " and " : "")
                      + (segmentIds.isEmpty() ? "" : segmentIds.size() + " other segment(s)"),
              null, Map.of("campaignIds", campaignIds, "segmentIds", segmentIds));
    }
}
