package io.herald.api.flow;

import io.herald.api.common.DomainException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A flow definition is unusable (HTTP 422): the graph is invalid or a node's field is. Names the node
 * ({@code nodeId}, absent for the trigger, entry policy and time zone) and its field ({@code field},
 * e.g. {@code paths[1].next} or {@code content.subject}); the error's path is
 * {@code definition.nodes[<nodeId>].<field>} or {@code definition.<field>}.
 */
public class FlowDefinitionException extends DomainException {

    public static final String INVALID = "flow.definition.invalid";
    public static final String NODE_INVALID = "flow.node.invalid";
    public static final String NODE_ID_DUPLICATE = "flow.node.duplicate-id";
    public static final String CHILD_MISSING = "flow.node.child-missing";
    public static final String CHILD_DANGLING = "flow.node.dangling-child";
    public static final String UNREACHABLE = "flow.node.unreachable";
    public static final String ENTRY_COUNT = "flow.entry.count";
    public static final String LOOP_WITHOUT_WAIT = "flow.graph.loop-without-wait";
    public static final String SPLIT_PERCENT = "flow.split.percent-sum";
    public static final String TRIGGER_INVALID = "flow.trigger.invalid";
    public static final String ENTRY_POLICY_INVALID = "flow.entry-policy.invalid";
    public static final String SEGMENT_UNKNOWN = "flow.segment.unknown";
    public static final String CAMPAIGN_UNKNOWN = "flow.campaign.unknown";
    public static final String TEMPLATE_INVALID = "flow.template.invalid";

    private final String nodeId;
    private final String nodeField;

    public FlowDefinitionException(String code, String nodeId, String field, String message) {
        this(code, nodeId, field, message, Map.of());
    }

    public FlowDefinitionException(String code, String nodeId, String field, String message,
                                   Map<String, Object> details) {
        super(Kind.UNPROCESSABLE, code, (nodeId == null ? "" : "node " + nodeId + ", ") + field + ": " + message,
              path(nodeId, field), details(nodeId, field, details));
        this.nodeId = nodeId;
        this.nodeField = field;
    }

    /** The node's id, or null when the problem is outside the nodes. */
    public String nodeId() {
        return nodeId;
    }

    /** The field within the node (or within the definition when there is no node). */
    public String nodeField() {
        return nodeField;
    }

    public static String path(String nodeId, String field) {
        return nodeId == null ? "definition." + field : "definition.nodes[" + nodeId + "]." + field;
    }

    private static Map<String, Object> details(String nodeId, String field, Map<String, Object> more) {
        Map<String, Object> details = new LinkedHashMap<>(more);
        if (nodeId != null) {
            details.put("nodeId", nodeId);
        }
        details.put("nodeField", field);
        return details;
    }
}
