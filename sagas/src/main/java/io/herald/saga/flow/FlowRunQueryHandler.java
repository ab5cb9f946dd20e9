package io.herald.saga.flow;

import io.herald.api.flow.FindFlowRunsQuery;
import io.herald.api.flow.FlowRunPage;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.UUID;
import java.util.regex.Pattern;

/** The decision log API: a flow's runs (of one contact, or all), newest first, each with its steps. */
@Component
class FlowRunQueryHandler {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final FlowRunStore store;

    FlowRunQueryHandler(FlowRunStore store) {
        this.store = store;
    }

    @QueryHandler
    FlowRunPage handle(FindFlowRunsQuery query) {
        int size = Math.clamp(query.size(), 1, 100);
        int page = Math.max(query.page(), 0);
        if (!UUID_TEXT.matcher(query.flowId()).matches()
                || query.contactId() != null && !UUID_TEXT.matcher(query.contactId()).matches()) {
            return new FlowRunPage(java.util.List.of(), page, size, 0);
        }
        UUID flowId = UUID.fromString(query.flowId());
        UUID contactId = query.contactId() == null ? null : UUID.fromString(query.contactId());
        return new FlowRunPage(store.page(flowId, contactId, page, size), page, size, store.count(flowId, contactId));
    }
}
