package io.herald.api.flow;

import io.herald.api.common.DomainException;

import java.util.Map;

/** A published version never changes (HTTP 409): edit the draft and publish it as the next version. */
public class FlowVersionImmutableException extends DomainException {

    public static final String CODE = "flow.version.immutable";

    public FlowVersionImmutableException(String flowId, int version) {
        super(Kind.CONFLICT, CODE, "Version " + version + " of flow " + flowId + " is published and cannot change; "
                + "edit the draft (PUT /api/flows/" + flowId + "/draft) and publish it", null,
              Map.of("flowId", flowId, "version", version));
    }
}
