package io.herald.api.flow;

import io.herald.api.common.DomainException;

import java.util.Map;

/** The flow's current status does not allow the requested action (HTTP 409). */
public class IllegalFlowTransitionException extends DomainException {

    public static final String CODE = "flow.illegal-transition";

    public IllegalFlowTransitionException(String flowId, FlowStatus current, String action) {
        super(Kind.CONFLICT, CODE, "Cannot " + action + " flow " + flowId + " while it is " + current, null,
              Map.of("currentStatus", current.name(), "action", action));
    }
}
