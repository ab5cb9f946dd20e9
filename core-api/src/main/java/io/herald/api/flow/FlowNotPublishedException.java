package io.herald.api.flow;

import io.herald.api.common.DomainException;

import java.util.Map;

/** A flow without a published version cannot be activated (HTTP 409): publish the draft first. */
public class FlowNotPublishedException extends DomainException {

    public static final String CODE = "flow.not-published";

    public FlowNotPublishedException(String flowId) {
        super(Kind.CONFLICT, CODE, "Flow " + flowId + " has no published version; publish the draft first", null,
              Map.of("flowId", flowId));
    }
}
