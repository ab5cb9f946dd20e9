package io.herald.api.flow;

import java.util.List;

/**
 * Per flow, the contacts in it now and its sends so far (the flow list's columns); answered with a
 * {@link FlowRunTotalsView} naming every given flow (zeros for one without runs, none for an id that is no UUID).
 */
public record FindFlowRunTotalsQuery(List<String> flowIds) {
}
