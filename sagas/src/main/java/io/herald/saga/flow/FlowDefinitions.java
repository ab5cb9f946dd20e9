package io.herald.saga.flow;

import io.herald.api.flow.FindFlowQuery;
import io.herald.api.flow.FindFlowsQuery;
import io.herald.api.flow.FlowPage;
import io.herald.api.flow.FlowSummaryView;
import io.herald.api.flow.FindFlowVersionQuery;
import io.herald.api.flow.FlowStatus;
import io.herald.api.flow.FlowVersionView;
import io.herald.api.flow.FlowView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Flows as the runtime reads them, through queries: a flow's status (read anew each time: the flow read model
 * is written in the flow command's transaction, so it is current) and its published versions (immutable,
 * kept once read).
 */
@Component
public class FlowDefinitions {

    private final QueryGateway queries;
    private final Map<String, FlowVersionView> versions = new ConcurrentHashMap<>();

    public FlowDefinitions(QueryGateway queries) {
        this.queries = queries;
    }

    /** The flow, or null when there is none. */
    FlowView flow(UUID flowId) {
        return join(queries.query(new FindFlowQuery(flowId.toString()), ResponseTypes.instanceOf(FlowView.class)));
    }

    /** Every flow's status, read page by page from the flow list (one query per 200 flows). */
    Map<UUID, FlowStatus> statuses() {
        Map<UUID, FlowStatus> statuses = new java.util.HashMap<>();
        summaries().forEach(flow -> statuses.put(UUID.fromString(flow.id()), flow.status()));
        return statuses;
    }

    /** Every flow as the list shows it, read page by page (one query per 200 flows). */
    java.util.List<FlowSummaryView> summaries() {
        java.util.List<FlowSummaryView> all = new java.util.ArrayList<>();
        for (int page = 0; ; page++) {
            FlowPage flows = join(queries.query(new FindFlowsQuery(page, 200), ResponseTypes.instanceOf(FlowPage.class)));
            all.addAll(flows.items());
            if (flows.items().size() < 200 || page >= flows.totalPages() - 1) {
                return all;
            }
        }
    }

    /** The latest versions of the ACTIVE flows whose trigger is of the given kind. */
    java.util.List<FlowVersionView> activeWith(Class<? extends io.herald.api.flow.FlowTrigger> trigger) {
        java.util.List<FlowVersionView> found = new java.util.ArrayList<>();
        for (FlowSummaryView flow : summaries()) {
            if (flow.status() == FlowStatus.ACTIVE && flow.latestVersion() > 0 && trigger.isInstance(flow.trigger())) {
                FlowVersionView version = version(UUID.fromString(flow.id()), flow.latestVersion());
                if (version != null && trigger.isInstance(version.definition().trigger())) {
                    found.add(version);
                }
            }
        }
        return found;
    }

    /** A published version, or null. */
    FlowVersionView version(UUID flowId, int version) {
        String key = flowId + "/" + version;
        FlowVersionView cached = versions.get(key);
        if (cached != null) {
            return cached;
        }
        FlowVersionView found = join(queries.query(new FindFlowVersionQuery(flowId.toString(), version),
                                                   ResponseTypes.instanceOf(FlowVersionView.class)));
        if (found != null) {
            versions.put(key, found);
        }
        return found;
    }

    static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
