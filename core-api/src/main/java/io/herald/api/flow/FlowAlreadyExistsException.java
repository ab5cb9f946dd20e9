package io.herald.api.flow;

import io.herald.api.common.DomainException;

import java.util.Map;

/** A create with an id that belongs to another flow (or to something else) (HTTP 409). */
public class FlowAlreadyExistsException extends DomainException {

    public static final String CODE = "flow.already-exists";

    public FlowAlreadyExistsException(String flowId) {
        super(Kind.CONFLICT, CODE, "A different flow with id " + flowId + " already exists", "id",
              Map.of("flowId", flowId));
    }
}
