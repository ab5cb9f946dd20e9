package io.herald.query.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.campaign.CampaignHistoryView;
import io.herald.api.campaign.FindCampaignHistoryQuery;
import io.herald.query.AggregateHistory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;

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
        List<AggregateHistory.Entry> entries = AggregateHistory.read(eventStore, query.campaignId(), AGGREGATE_TYPE,
                                                                     objectMapper);
        return entries == null ? null : new CampaignHistoryView(query.campaignId(), entries.stream().map(
                e -> new CampaignHistoryView.Entry(e.sequence(), e.type(), e.revision(), e.at(), e.payload(), e.actor(),
                                                   e.correlationId(), e.metadata())).toList());
    }
}
