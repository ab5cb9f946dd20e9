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
    /**
     * The aggregate version the sender last saw (an HTTP {@code If-Match}): the aggregate refuses the
     * command with a {@code ConflictingAggregateVersionException} when its version is another one.
     * Absent: no expectation. Kept on the command only, never copied onto events.
     */
    public static final String EXPECTED_VERSION = "expectedVersion";

    private MetadataKeys() {
    }
}
