package io.herald.query.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.campaign.CampaignHistoryView;
import io.herald.api.campaign.FindCampaignHistoryQuery;
import io.herald.api.common.MetadataKeys;
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

/** Answers a campaign's audit history straight from the event store, not from a read model. */
@Component
class CampaignHistoryQueryHandler {

    static final String AGGREGATE_TYPE = "Campaign";

    private final EventStore eventStore;
    private final ObjectMapper objectMapper;

    CampaignHistoryQueryHandler(EventStore eventStore, ObjectMapper objectMapper) {
        this.eventStore = eventStore;
        this.objectMapper = objectMapper;
    }

    @QueryHandler
    CampaignHistoryView handle(FindCampaignHistoryQuery query) {
        List<CampaignHistoryView.Entry> entries = new ArrayList<>();
        DomainEventStream stream = eventStore.readEvents(query.campaignId());
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (!AGGREGATE_TYPE.equals(message.getType())) {
                return null; // the id belongs to something else
            }
            entries.add(toEntry(message));
        }
        return entries.isEmpty() ? null : new CampaignHistoryView(query.campaignId(), entries);
    }

    @SuppressWarnings("unchecked")
    private CampaignHistoryView.Entry toEntry(DomainEventMessage<?> message) {
        Map<String, Object> payload = objectMapper.convertValue(message.getPayload(), LinkedHashMap.class);
        Map<String, Object> metadata = new LinkedHashMap<>(message.getMetaData());
        String type = message.getPayloadType().getSimpleName();
        if (type.endsWith("Event")) {
            type = type.substring(0, type.length() - "Event".length());
        }
        return new CampaignHistoryView.Entry(
                message.getSequenceNumber(), type, revisionOf(message), message.getTimestamp(), payload,
                (String) metadata.get(MetadataKeys.ACTOR), (String) metadata.get(MetadataKeys.CORRELATION_ID), metadata);
    }

    private static String revisionOf(DomainEventMessage<?> message) {
        Revision revision = message.getPayloadType().getAnnotation(Revision.class);
        return revision == null ? null : revision.value();
    }
}
