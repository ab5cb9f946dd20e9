package io.herald.query.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.common.MetadataKeys;
import io.herald.api.flow.FindFlowHistoryQuery;
import io.herald.api.flow.FlowHistoryView;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.serialization.Revision;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Answers a flow's audit history (who created, edited, published, activated... it, when) from the event store. */
@Component
class FlowHistoryQueryHandler {

    static final String AGGREGATE_TYPE = "Flow";

    private final EventStore eventStore;
    private final ObjectMapper objectMapper;

    FlowHistoryQueryHandler(EventStore eventStore, ObjectMapper objectMapper) {
        this.eventStore = eventStore;
        this.objectMapper = objectMapper;
    }

    @QueryHandler
    FlowHistoryView handle(FindFlowHistoryQuery query) {
        List<FlowHistoryView.Entry> entries = new ArrayList<>();
        DomainEventStream stream = eventStore.readEvents(query.flowId());
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (!AGGREGATE_TYPE.equals(message.getType())) {
                return null; // the id belongs to something else
            }
            entries.add(toEntry(message));
        }
        return entries.isEmpty() ? null : new FlowHistoryView(query.flowId(), entries);
    }

    @SuppressWarnings("unchecked")
    private FlowHistoryView.Entry toEntry(DomainEventMessage<?> message) {
        Map<String, Object> payload = objectMapper.convertValue(message.getPayload(), LinkedHashMap.class);
        String type = message.getPayloadType().getSimpleName();
        if (type.endsWith("Event")) {
            type = type.substring(0, type.length() - "Event".length());
        }
        Revision revision = message.getPayloadType().getAnnotation(Revision.class);
        return new FlowHistoryView.Entry(message.getSequenceNumber(), type, revision == null ? null : revision.value(),
                                         message.getTimestamp(), payload,
                                         (String) message.getMetaData().get(MetadataKeys.ACTOR),
                                         (String) message.getMetaData().get(MetadataKeys.CORRELATION_ID));
    }
}
