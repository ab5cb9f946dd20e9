package io.herald.api.tracking;

import java.util.List;

/** What happened to each event of a track request, in the order sent. */
public record TrackResult(List<Outcome> outcomes) {

    public long accepted() {
        return outcomes.stream().filter(o -> o.status() == Status.ACCEPTED).count();
    }

    public long duplicates() {
        return outcomes.stream().filter(o -> o.status() == Status.DUPLICATE).count();
    }

    public enum Status {
        /** Stored now. */
        ACCEPTED,
        /** Its messageId was stored before: not stored again. */
        DUPLICATE
    }

    /**
     * @param messageId the event's message id (generated when the client sent none)
     * @param contactId the contact it was attributed to (null for anonymous events)
     * @param late      its timestamp is older than the configured horizon (stored and flagged)
     */
    public record Outcome(String messageId, Status status, String contactId, boolean late) {
    }
}
