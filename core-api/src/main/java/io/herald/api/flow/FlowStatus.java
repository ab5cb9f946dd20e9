package io.herald.api.flow;

import java.util.Set;

/**
 * Lifecycle of a flow: DRAFT → ACTIVE ⇄ PAUSED → ARCHIVED, or → STOPPED (terminal). A draft that was
 * never activated may be archived too. ARCHIVED and STOPPED are final: the draft can no longer change.
 */
public enum FlowStatus {
    DRAFT,
    ACTIVE,
    PAUSED,
    ARCHIVED,
    STOPPED;

    public boolean isFinal() {
        return this == ARCHIVED || this == STOPPED;
    }

    public boolean canMoveTo(FlowStatus target) {
        return allowedTargets().contains(target);
    }

    public Set<FlowStatus> allowedTargets() {
        return switch (this) {
            case DRAFT -> Set.of(ACTIVE, ARCHIVED);
            case ACTIVE -> Set.of(PAUSED, STOPPED);
            case PAUSED -> Set.of(ACTIVE, ARCHIVED, STOPPED);
            case ARCHIVED, STOPPED -> Set.of();
        };
    }
}
