package io.herald.api.flow;

import io.herald.api.common.DomainException;

import java.util.Map;

/** Only an ACTIVE flow accepts entries (HTTP 409). */
public class FlowNotActiveException extends DomainException {

    public static final String CODE = "flow.not-active";

    public FlowNotActiveException(String flowId, FlowStatus status) {
        super(Kind.CONFLICT, CODE, "Flow " + flowId + " is " + status + "; only an ACTIVE flow accepts entries", null,
              Map.of("flowId", flowId, "status", status.name()));
    }
}
