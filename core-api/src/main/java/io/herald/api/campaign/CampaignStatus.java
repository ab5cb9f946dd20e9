package io.herald.api.campaign;

import java.util.Set;

/**
 * Lifecycle of a campaign: DRAFT → SCHEDULED → RUNNING ⇄ PAUSED → COMPLETED, or → CANCELLED, or (a run that
 * cannot go on, from RUNNING or PAUSED) → FAILED.
 * Each status knows which statuses it may move to, so the rule lives in one place.
 */
public enum CampaignStatus {
    DRAFT,
    SCHEDULED,
    RUNNING,
    PAUSED,
    COMPLETED,
    CANCELLED,
    /** The run could not go on (CampaignFailedEvent's reason): final, like COMPLETED and CANCELLED. */
    FAILED;

    /** Whether the campaign's definition (name, content, audience, throttle) may still change. */
    public boolean isEditable() {
        return this == DRAFT || this == SCHEDULED;
    }

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED || this == FAILED;
    }

    public boolean canMoveTo(CampaignStatus target) {
        return allowedTargets().contains(target);
    }

    public Set<CampaignStatus> allowedTargets() {
        return switch (this) {
            case DRAFT -> Set.of(SCHEDULED, RUNNING, CANCELLED);
            case SCHEDULED -> Set.of(SCHEDULED, RUNNING, CANCELLED);
            case RUNNING -> Set.of(PAUSED, COMPLETED, CANCELLED, FAILED);
            case PAUSED -> Set.of(RUNNING, CANCELLED, FAILED);
            case COMPLETED, CANCELLED, FAILED -> Set.of();
        };
    }
}
