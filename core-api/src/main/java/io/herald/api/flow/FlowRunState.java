package io.herald.api.flow;

/**
 * Where a run is: ACTIVE (due to move on now), WAITING (until its due time, or held at a node with a
 * reason), COMPLETED (reached an exit node), EXITED (left early), STOPPED (its flow was stopped).
 */
public enum FlowRunState {
    ACTIVE,
    WAITING,
    COMPLETED,
    EXITED,
    STOPPED;

    public boolean isLive() {
        return this == ACTIVE || this == WAITING;
    }
}
