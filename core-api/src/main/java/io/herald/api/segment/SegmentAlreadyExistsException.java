package io.herald.api.segment;

import io.herald.api.common.DomainException;

import java.util.Map;

/** A create with an id that belongs to another segment (or to something else) (HTTP 409). */
public class SegmentAlreadyExistsException extends DomainException {

    public static final String CODE = "segment.already-exists";

    public SegmentAlreadyExistsException(String segmentId) {
        super(Kind.CONFLICT, CODE, "A different segment with id " + segmentId + " already exists", "id",
              Map.of("segmentId", segmentId));
    }
}
