package io.herald.api.flow;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.herald.api.segment.SegmentRule;

import java.util.List;

/**
 * What starts a run of a flow (one trigger per flow), written in JSON with a {@code type}:
 * <ul>
 *   <li>{@code event}: a tracked event named {@code event} whose properties match {@code where};
 *       {@code dedupKey} names the property that de-duplicates triggers (default {@code messageId},
 *       the event's own id);</li>
 *   <li>{@code segment}: a contact entering the segment {@code segmentId};</li>
 *   <li>{@code api}: only an API call starts a run.</li>
 * </ul>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = FlowTrigger.Event.class, name = "event"),
        @JsonSubTypes.Type(value = FlowTrigger.SegmentEntry.class, name = "segment"),
        @JsonSubTypes.Type(value = FlowTrigger.Api.class, name = "api")})
public sealed interface FlowTrigger {

    /** The de-duplication key of an event trigger without one: the event's message id. */
    String DEFAULT_DEDUP_KEY = "messageId";

    /** The trigger's {@code type} in JSON. */
    default String type() {
        return switch (this) {
            case Event ignored -> "event";
            case SegmentEntry ignored -> "segment";
            case Api ignored -> "api";
        };
    }

    /** A tracked event. */
    record Event(String event, List<SegmentRule.PropertyFilter> where, String dedupKey) implements FlowTrigger {

        /** The property that de-duplicates triggers. */
        public String effectiveDedupKey() {
            return dedupKey == null || dedupKey.isBlank() ? DEFAULT_DEDUP_KEY : dedupKey;
        }
    }

    /** A contact entering a segment. */
    record SegmentEntry(String segmentId) implements FlowTrigger {
    }

    /** Runs are started through the API only. */
    record Api() implements FlowTrigger {
    }
}
