package io.herald.api.flow;

import java.util.List;

/**
 * What an {@link EnterFlowCommand} did, per contact in the order given.
 *
 * @param replayed true when this is the stored answer to an earlier call with the same Idempotency-Key
 */
public record FlowEntryResult(String flowId, int version, int entered, int alreadyInFlow, int reEntryWindow,
                              int unknownContact, List<Item> results, boolean replayed) {

    /** Outcomes of one contact's entry. */
    public static final String ENTERED = "entered";
    /** It has a run in the flow that is not finished (per contact, or per de-duplication key). */
    public static final String ALREADY_IN_FLOW = "already-in-flow";
    /** An earlier run ended, and the flow's re-entry policy does not allow another one (yet). */
    public static final String RE_ENTRY_WINDOW = "re-entry-window";
    /** No contact with that id, external id or e-mail. */
    public static final String UNKNOWN_CONTACT = "unknown-contact";

    /** One contact's outcome; {@code runId} is the run it entered, or the run it is already in. */
    public record Item(int index, String outcome, String contactId, String runId) {
    }

    public FlowEntryResult asReplay() {
        return new FlowEntryResult(flowId, version, entered, alreadyInFlow, reEntryWindow, unknownContact, results,
                                   true);
    }
}
