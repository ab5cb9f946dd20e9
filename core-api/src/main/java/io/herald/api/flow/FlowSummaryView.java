package io.herald.api.flow;

import java.time.Instant;

/**
 * A flow in the list.
 *
 * @param latestVersion the highest published version, 0 before the first publish
 * @param trigger       the draft's trigger
 * @param version       the aggregate version (ETag of the flow)
 */
public record FlowSummaryView(String id, String name, FlowStatus status, int latestVersion, FlowTrigger trigger,
                              Instant createdAt, Instant updatedAt, long version) {
}
