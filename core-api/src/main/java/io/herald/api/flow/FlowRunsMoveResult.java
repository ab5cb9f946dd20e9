package io.herald.api.flow;

import java.util.Map;

/**
 * What moving runs did: {@code moved} runs now on {@code toVersion}; {@code stayed} left on {@code fromVersion}, by
 * node ({@code stayedAt}: a node the later version lacks, or a run being moved on by a worker at that moment, or one
 * whose send was under way).
 */
public record FlowRunsMoveResult(String flowId, int fromVersion, int toVersion, long moved, long stayed,
                                 Map<String, Long> stayedAt) {
}
