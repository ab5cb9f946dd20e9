package io.herald.api.flow;

import java.util.List;

/** The run totals of some flows (see {@link FindFlowRunTotalsQuery}). */
public record FlowRunTotalsView(List<Totals> flows) {

    /**
     * @param contactsInFlow live runs (ACTIVE and WAITING) of every version
     * @param sendsSoFar     successful sends of the send and webhook nodes of every version
     */
    public record Totals(String flowId, long contactsInFlow, long sendsSoFar) {
    }
}
