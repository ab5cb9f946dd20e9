package io.herald.query.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.flow.FindFlowHistoryQuery;
import io.herald.api.flow.FlowHistoryView;
import io.herald.query.AggregateHistory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;

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
        List<AggregateHistory.Entry> entries = AggregateHistory.read(eventStore, query.flowId(), AGGREGATE_TYPE,
                                                                     objectMapper);
        return entries == null ? null : new FlowHistoryView(query.flowId(), entries.stream().map(
                e -> new FlowHistoryView.Entry(e.sequence(), e.type(), e.revision(), e.at(), e.payload(), e.actor(),
                                               e.correlationId())).toList());
    }
}
