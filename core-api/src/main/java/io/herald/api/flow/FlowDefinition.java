package io.herald.api.flow;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.api.segment.SegmentRules;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a flow does: the trigger, the entry policy (absent: {@link FlowEntryPolicy#DEFAULT}), the
 * fallback time zone for waits until a time of day (for contacts without one; absent: UTC), and
 * the graph of nodes. The same JSON on the wire and in the stored events.
 */
public record FlowDefinition(FlowTrigger trigger, FlowEntryPolicy entry, String timeZone, List<FlowNode> nodes,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Position> layout) {

    /** A definition without a layout (the editor lays the graph out itself). */
    public FlowDefinition(FlowTrigger trigger, FlowEntryPolicy entry, String timeZone, List<FlowNode> nodes) {
        this(trigger, entry, timeZone, nodes, null);
    }

    /**
     * Where the editor drew a node (top-left corner, canvas units): optional, by node id, never read by the runtime.
     * Absent in definitions stored before it existed, and left out of the JSON when absent.
     */
    public record Position(double x, double y) {
    }

    /** Ids (lower case) of the segments the definition refers to: a segment trigger's and those in branch rules. */
    public Set<String> segmentIds() {
        Set<String> ids = new LinkedHashSet<>();
        if (trigger instanceof FlowTrigger.SegmentEntry entry && entry.segmentId() != null) {
            ids.add(entry.segmentId().toLowerCase(Locale.ROOT));
        }
        if (nodes != null) {
            for (FlowNode node : nodes) {
                if (node instanceof FlowNode.Branch branch && branch.rule() != null) {
                    ids.addAll(SegmentRules.referencedSegments(branch.rule()));
                }
            }
        }
        return ids;
    }
}
