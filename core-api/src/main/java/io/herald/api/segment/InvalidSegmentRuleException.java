package io.herald.api.segment;

import io.herald.api.common.DomainException;

import java.util.Map;

/** A rule tree node is malformed (HTTP 400); {@code field} is its path, e.g. {@code rules.children[2].value}. */
public class InvalidSegmentRuleException extends DomainException {

    public static final String CODE = "segment.rules.invalid";

    public InvalidSegmentRuleException(String path, String message) {
        super(Kind.INVALID, CODE, path + ": " + message, path, Map.of("path", path));
    }
}
