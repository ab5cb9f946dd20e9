package io.herald.api.common;

import java.util.Map;

/**
 * A rule of the domain refused a command (or the identity module a request). Carries a stable, machine-readable {@link #code()}
 * (documented in the API), a {@link Kind} the API maps to an HTTP status, and details such as the
 * current status of the thing that refused.
 */
public class DomainException extends RuntimeException {

    /** What kind of refusal this is; the API maps each kind to one HTTP status. */
    public enum Kind {
        /** The input is malformed or out of range (400). */
        INVALID,
        /** The thing referred to does not exist (404). */
        NOT_FOUND,
        /** The current state does not allow it (409). */
        CONFLICT,
        /** The input is well-formed but refers to something unusable (422). */
        UNPROCESSABLE,
        /** The caller's credentials (password, token, key) are wrong, unknown, expired or revoked (401). */
        UNAUTHENTICATED,
        /** The caller may not do this (403). */
        FORBIDDEN,
        /**
         * Refused for a while after too many attempts (429); {@link #RETRY_AFTER_SECONDS} in the details says
         * when to try again.
         */
        THROTTLED
    }

    /** Detail of a {@link Kind#THROTTLED} refusal: whole seconds until an attempt may succeed. */
    public static final String RETRY_AFTER_SECONDS = "retryAfterSeconds";

    private final String code;
    private final Kind kind;
    private final String field;
    private final Map<String, Object> details;

    public DomainException(Kind kind, String code, String message, String field, Map<String, Object> details) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.field = field;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public DomainException(Kind kind, String code, String message) {
        this(kind, code, message, null, Map.of());
    }

    public static DomainException invalid(String field, String code, String message) {
        return new DomainException(Kind.INVALID, code, message, field, Map.of());
    }

    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    /** Path of the offending input field, or {@code null}. */
    public String field() {
        return field;
    }

    public Map<String, Object> details() {
        return details;
    }
}
