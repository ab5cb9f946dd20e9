package io.herald.api.flow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run of a flow with its decision log (oldest step first).
 *
 * @param reason why a WAITING run waits ({@code wait}, {@code wait-for-event}, {@code event-received}), or
 *               {@code sending} while a send node's message goes out
 * @param dueAt  when it moves on next (null: not by time)
 */
public record FlowRunView(String runId, String flowId, int version, String contactId, String nodeId,
                          FlowRunState state, String reason, Instant dueAt, Map<String, Object> data,
                          String dedupKey, Instant enteredAt, Instant updatedAt, List<Step> steps) {

    /** One line of the decision log: at a node, what happened ({@code kind}) and why ({@code detail}). */
    /** One decision-log row; {@code edge}: the node's field the run left it by (null: it stayed there). */
    public record Step(Instant at, String nodeId, String kind, String detail, String edge) {
    }
}
