package io.herald.api.flow;

import java.util.List;

/**
 * What a flow does: the trigger, the entry policy (absent: {@link FlowEntryPolicy#DEFAULT}), the
 * fallback time zone for waits until a time of day (for contacts without one; absent: UTC), and
 * the graph of nodes. The same JSON on the wire and in the stored events.
 */
public record FlowDefinition(FlowTrigger trigger, FlowEntryPolicy entry, String timeZone, List<FlowNode> nodes) {
}
