package io.herald.eventstore;

import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;

import java.time.Instant;

/**
 * An event as the event store holds it, still serialized: its position in the stream (global
 * index), payload type and revision, payload and metadata bytes, and when it was stored.
 */
public record StoredEvent(long position, String payloadType, String payloadRevision, byte[] payload,
                          byte[] metaData, Instant timestamp) {

    /** The payload, deserialized (no upcasting: the stored revision must still read). */
    public <T> T payload(Serializer serializer) {
        return serializer.deserialize(new SimpleSerializedObject<>(payload, byte[].class, payloadType, payloadRevision));
    }

    /** The metadata, deserialized; empty when none was stored. */
    public MetaData metaData(Serializer serializer) {
        return metaData == null ? MetaData.emptyInstance() : serializer.deserialize(
                new SimpleSerializedObject<>(metaData, byte[].class, MetaData.class.getName(), null));
    }
}
