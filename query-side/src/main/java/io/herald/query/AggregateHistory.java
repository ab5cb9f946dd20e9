package io.herald.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.common.MetadataKeys;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An aggregate's history read straight from the event store (not from a read model): the audit that the
 * campaign, segment and flow history endpoints answer, each in its own view.
 */
public final class AggregateHistory {

    /**
     * One stored event of the aggregate.
     *
     * @param type     the event's simple class name without its {@code Event} suffix
     * @param revision its {@code @Revision}, or null
     * @param payload  the event as JSON properties (through the caller's mapper)
     */
    public record Entry(long sequence, String type, String revision, Instant at, Map<String, Object> payload,
                        String actor, String correlationId, Map<String, Object> metadata) {
    }

    private AggregateHistory() {
    }

    /**
     * The events of {@code aggregateId} in order; null when it has none, or when the id belongs to an aggregate of
     * another type (a campaign id asked for as a flow's is unknown, not someone else's history).
     */
    public static List<Entry> read(EventStore eventStore, String aggregateId, String aggregateType,
                                   ObjectMapper mapper) {
        List<Entry> entries = new ArrayList<>();
        DomainEventStream stream = eventStore.readEvents(aggregateId);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (!aggregateType.equals(message.getType())) {
                return null;
            }
            entries.add(entry(message, mapper));
        }
        return entries.isEmpty() ? null : entries;
    }

    @SuppressWarnings("unchecked")
    private static Entry entry(DomainEventMessage<?> message, ObjectMapper mapper) {
        Map<String, Object> payload = mapper.convertValue(message.getPayload(), LinkedHashMap.class);
        Map<String, Object> metadata = new LinkedHashMap<>(message.getMetaData());
        String type = message.getPayloadType().getSimpleName();
        if (type.endsWith("Event")) {
            type = type.substring(0, type.length() - "Event".length());
        }
        Revision revision = message.getPayloadType().getAnnotation(Revision.class);
        return new Entry(message.getSequenceNumber(), type, revision == null ? null : revision.value(),
                         message.getTimestamp(), payload, (String) metadata.get(MetadataKeys.ACTOR),
                         (String) metadata.get(MetadataKeys.CORRELATION_ID), metadata);
    }
}
