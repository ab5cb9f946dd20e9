package io.herald.api.flow;

import java.time.Instant;
import java.util.List;

/**
 * A flow as the API shows it: its draft and its published versions (newest first, without their
 * definitions: {@code GET /api/flows/{id}/versions/{n}}).
 *
 * @param latestVersion the highest published version, 0 before the first publish
 * @param version       the aggregate version: grows with every change, the flow's ETag
 */
public record FlowView(String id, String name, FlowStatus status, FlowDefinition draft, int latestVersion,
                       List<VersionSummary> versions, Instant createdAt, Instant updatedAt, long version) {

    /** A published version: its number, when and by whom. */
    public record VersionSummary(int version, Instant publishedAt, String publishedBy) {
    }
}
