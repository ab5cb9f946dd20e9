package io.herald.saga.flow;

import io.herald.api.flow.FindContactFlowRunsQuery;
import io.herald.api.flow.FindFlowRunsQuery;
import io.herald.api.flow.FindFlowStatsQuery;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowRunPage;
import io.herald.api.flow.FlowRunState;
import io.herald.api.flow.FlowStatsView;
import io.herald.api.flow.FlowVersionView;
import io.herald.api.flow.FlowView;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The decision log API: a flow's runs (of one contact, or all), newest first, each with its steps; and the flow's
 * statistics counted from them.
 */
@Component
class FlowRunQueryHandler {

    /** A UUID as text (ids in queries are strings: anything else matches nothing). */
    static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Decision-log kinds by which a run went on from a node. */
    private static final Set<String> PASSED = Set.of("waited", "branch", "split", "contact-updated", "webhook",
                                                     "webhook-failed", "sent", "send-failed", "send-skipped",
                                                     "send-unknown", "event-received", "timed-out");
    /** Decision-log kinds that ended a run at a node other than an exit node. */
    private static final Set<String> ENDED = Set.of("stopped", "exited");

    private final FlowRunStore store;
    private final FlowDefinitions definitions;
    private final Clock clock;

    FlowRunQueryHandler(FlowRunStore store, FlowDefinitions definitions, Clock clock) {
        this.store = store;
        this.definitions = definitions;
        this.clock = clock;
    }

    /**
     * Statistics from the runs and their decision logs: per node entered, in it now and passed (and a send's
     * outcomes), per edge how many left by it. Counted on each query (an index scan of the flow's runs and a join
     * to their steps), so a stream of them polls.
     */
    @QueryHandler
    FlowStatsView handle(FindFlowStatsQuery query) {
        if (!UUID_TEXT.matcher(query.flowId()).matches()) {
            return null;
        }
        UUID flowId = UUID.fromString(query.flowId());
        FlowView flow = definitions.flow(flowId);
        if (flow == null) {
            return null;
        }
        Instant at = clock.instant();
        int shown = query.version() != null ? query.version() : flow.latestVersion();
        FlowVersionView version = shown > 0 ? definitions.version(flowId, shown) : null;
        if (query.version() != null && version == null) {
            return null;
        }
        Map<String, FlowNode> nodes = new LinkedHashMap<>();
        if (version != null) {
            version.definition().nodes().forEach(node -> nodes.put(node.id(), node));
        }
        // per node: [0] entered (entry node), [1] in it now, [2] passed, [3] sent, [4] failed, [5] skipped,
        // [6] ended there, [7] unknown
        Map<String, long[]> counts = new LinkedHashMap<>();
        nodes.keySet().forEach(id -> counts.put(id, new long[8]));
        long[] runs = new long[6];
        for (FlowRunStore.RunCount count : store.runCounts(flowId, query.version())) {
            runs[0] += count.count();
            switch (count.state()) {
                case ACTIVE -> runs[1] += count.count();
                case WAITING -> runs[2] += count.count();
                case COMPLETED -> runs[3] += count.count();
                case EXITED -> runs[4] += count.count();
                case STOPPED -> runs[5] += count.count();
            }
            if (count.state() == FlowRunState.ACTIVE || count.state() == FlowRunState.WAITING) {
                counts.computeIfAbsent(count.nodeId(), id -> new long[8])[1] += count.count();
            }
        }
        Map<List<String>, Long> edges = new LinkedHashMap<>();
        for (FlowRunStore.StepCount step : store.stepCounts(flowId, query.version())) {
            long[] node = counts.computeIfAbsent(step.nodeId(), id -> new long[8]);
            boolean exitNode = nodes.get(step.nodeId()) instanceof FlowNode.Exit;
            if ("entered".equals(step.kind())) {
                node[0] += step.count();
            } else if (PASSED.contains(step.kind()) || exitNode && "exited".equals(step.kind())) {
                node[2] += step.count();
            } else if (ENDED.contains(step.kind())) {
                node[6] += step.count();
            }
            switch (step.kind()) {
                case "sent", "webhook" -> node[3] += step.count();
                case "send-failed", "webhook-failed" -> node[4] += step.count();
                case "send-skipped" -> node[5] += step.count();
                case "send-unknown" -> node[7] += step.count();
                default -> {
                }
            }
            if (step.edge() != null) {
                edges.merge(List.of(step.nodeId(), step.edge()), step.count(), Long::sum);
            }
        }
        List<FlowStatsView.NodeStats> nodeStats = new ArrayList<>();
        counts.forEach((id, c) -> {
            FlowNode node = nodes.get(id);
            boolean isEntry = node instanceof FlowNode.Entry;
            long entered = isEntry ? c[0] : c[2] + c[1] + c[6];
            long passed = isEntry ? Math.max(0, c[0] - c[1] - c[6]) : c[2];
            nodeStats.add(new FlowStatsView.NodeStats(id, node == null ? null : node.type(), entered, c[1], passed,
                                                      c[3], c[4], c[5], c[7]));
        });
        List<FlowStatsView.EdgeStats> edgeStats = new ArrayList<>();
        edges.forEach((key, count) -> {
            FlowNode from = nodes.get(key.get(0));
            String to = from == null ? null : from.edges().stream().filter(e -> e.field().equals(key.get(1)))
                    .map(FlowNode.Edge::target).findFirst().orElse(null);
            edgeStats.add(new FlowStatsView.EdgeStats(key.get(0), key.get(1), to, count));
        });
        return new FlowStatsView(flowId.toString(), query.version(),
                                 new FlowStatsView.Runs(runs[0], runs[1], runs[2], runs[3], runs[4], runs[5]),
                                 nodeStats, edgeStats, at);
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

    /** A contact's runs across flows, newest first, without their steps. */
    @QueryHandler
    FlowRunPage handle(FindContactFlowRunsQuery query) {
        int size = Math.clamp(query.size(), 1, 100);
        int page = Math.max(query.page(), 0);
        if (query.contactId() == null || !UUID_TEXT.matcher(query.contactId()).matches()) {
            return new FlowRunPage(List.of(), page, size, 0);
        }
        UUID contactId = UUID.fromString(query.contactId());
        return new FlowRunPage(store.contactPage(contactId, page, size), page, size, store.contactCount(contactId));
    }
}
