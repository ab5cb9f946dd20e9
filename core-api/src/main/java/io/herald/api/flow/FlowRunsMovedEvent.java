package io.herald.api.flow;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Runs of {@code fromVersion} were moved to {@code toVersion} ({@code moved}); {@code stayed} could not be. */
@Revision("1")
public record FlowRunsMovedEvent(String flowId, int fromVersion, int toVersion, long moved, long stayed, Instant at)
        implements FlowEvent {
}
