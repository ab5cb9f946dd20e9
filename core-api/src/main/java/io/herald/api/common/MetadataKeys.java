package io.herald.api.common;

/**
 * Keys of the metadata every command carries and every event keeps: who sent it and the
 * correlation id of the request (or process) it belongs to.
 */
public final class MetadataKeys {

    /** Principal that sent the command: {@code user:<id>}, {@code api-key:<id>} or {@code system:<component>}. */
    public static final String ACTOR = "actor";
    /** Correlation id: the caller's {@code X-Correlation-Id}, or one generated per request. */
    public static final String CORRELATION_ID = "correlationId";
    /** Id of the message that caused this one (set by Axon's message origin provider). */
    public static final String CAUSATION_ID = "causationId";
    /** Id of the first message of the chain (set by Axon's message origin provider). */
    public static final String TRACE_ID = "traceId";

    private MetadataKeys() {
    }
}
