package io.herald.api.flow;

import java.util.List;
import java.util.Map;

/**
 * Enters contacts into an ACTIVE flow's latest published version (runs stay on that version); answered
 * with a {@link FlowEntryResult}. With an {@code idempotencyKey} a repeat of the same call answers the
 * first call's result without entering anyone again.
 *
 * @param data the trigger data every run gets ({@code {{ trigger.* }}} in templates); may be null
 */
public record EnterFlowCommand(String flowId, String idempotencyKey, List<FlowEntrant> contacts,
                               Map<String, Object> data) {
}
