package io.herald.api.flow;

import java.time.Instant;

/** A published, immutable version of a flow. */
public record FlowVersionView(String flowId, int version, String name, FlowDefinition definition, Instant publishedAt,
                              String publishedBy) {
}
