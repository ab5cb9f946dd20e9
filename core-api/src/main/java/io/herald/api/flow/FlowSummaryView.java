package io.herald.api.flow;

import java.time.Instant;

/**
 * A flow in the list.
 *
 * @param latestVersion  the highest published version, 0 before the first publish
 * @param trigger        the draft's trigger
 * @param version        the aggregate version (ETag of the flow)
 * @param contactsInFlow contacts in the flow now (live runs, ACTIVE and WAITING, of every version); filled by the
 *                       flow list ({@code GET /api/flows}) from the flow runtime, null in the read model's own answer
 * @param sendsSoFar     successful sends of its send and webhook nodes (every version); filled like
 *                       {@code contactsInFlow}
 */
public record FlowSummaryView(String id, String name, FlowStatus status, int latestVersion, FlowTrigger trigger,
                              Instant createdAt, Instant updatedAt, long version, Long contactsInFlow,
                              Long sendsSoFar) {

    /** As the read model knows it: without the runtime's totals. */
    public FlowSummaryView(String id, String name, FlowStatus status, int latestVersion, FlowTrigger trigger,
                           Instant createdAt, Instant updatedAt, long version) {
        this(id, name, status, latestVersion, trigger, createdAt, updatedAt, version, null, null);
    }

    /** This flow with the runtime's totals. */
    public FlowSummaryView withTotals(long contactsInFlow, long sendsSoFar) {
        return new FlowSummaryView(id, name, status, latestVersion, trigger, createdAt, updatedAt, version,
                                   contactsInFlow, sendsSoFar);
    }
}
