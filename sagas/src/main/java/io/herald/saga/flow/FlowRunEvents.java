package io.herald.saga.flow;

import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowEntryPolicy;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowRunState;
import io.herald.api.flow.FlowStatus;
import io.herald.api.flow.FlowSummaryView;
import io.herald.api.flow.FlowVersionView;
import io.herald.api.segment.EventPropertiesMatchQuery;
import io.herald.api.segment.RuleMatchView;
import io.herald.api.segment.SegmentRule;
import io.herald.api.tracking.EventTrackedEvent;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What a contact's tracked event does to its live runs (called by the event-trigger processor, in its transaction,
 * before the event's own triggers, so an event never counts for the run it starts):
 * <ul>
 *   <li>an <b>exit condition</b> of the run's version ({@code entry.exitOn}) that the event matches ends the run
 *       ({@code exited}, with the event in the decision log);</li>
 *   <li>a <b>wait_for_event</b> node of the run's version that the event matches (name, {@code where} and, with
 *       {@code matchKey}, the same value of that property as the trigger's) records the event for the run: a run
 *       waiting there goes on at once; a run that reaches the node later finds it and does not wait.</li>
 * </ul>
 * The event names that any flow's versions exit on or wait for are read again every {@link FlowTriggers#REFRESH};
 * other events cost nothing here.
 */
@Component
class FlowRunEvents {

    private final FlowRunStore store;
    private final FlowDefinitions definitions;
    private final QueryGateway queries;
    private final Clock clock;

    private volatile Set<String> names = Set.of();
    private volatile Instant readAt = Instant.EPOCH;

    FlowRunEvents(FlowRunStore store, FlowDefinitions definitions, QueryGateway queries, Clock clock) {
        this.store = store;
        this.definitions = definitions;
        this.queries = queries;
        this.clock = clock;
    }

    void on(EventTrackedEvent event) {
        if (!names().contains(event.event())) {
            return;
        }
        Instant now = clock.instant();
        for (FlowRunStore.LiveRun run : store.lockLiveRuns(UUID.fromString(event.contactId()), now)) {
            FlowVersionView version = definitions.version(run.flowId(), run.version());
            if (version == null) {
                continue;
            }
            FlowDefinition definition = version.definition();
            FlowEntryPolicy policy = definition.entry();
            if (policy != null && policy.exitOn() != null && policy.exitOn().stream()
                    .anyMatch(exit -> event.event().equals(exit.event()) && matches(event, exit.where()))) {
                store.exit(run.runId(), run.nodeId(), "left on '" + event.event() + "' (messageId "
                        + event.messageId() + ", an exit condition)", now);
                continue;
            }
            for (FlowNode node : definition.nodes()) {
                if (node instanceof FlowNode.WaitForEvent wait && event.event().equals(wait.event())
                        && sameKey(run, wait, event) && matches(event, wait.where())
                        && store.recordEvent(run.runId(), wait.id(), event.event(), event.messageId(),
                                             event.occurredAt() == null ? now : event.occurredAt())
                        && wait.id().equals(run.nodeId()) && run.state() == FlowRunState.WAITING
                        && FlowRunner.REASON_WAIT_FOR_EVENT.equals(run.reason()) && !run.leased()) {
                    store.wake(run.runId(), wait.id(), "'" + event.event() + "' received (messageId "
                            + event.messageId() + ")", now);
                }
            }
        }
    }

    /** With a {@code matchKey}, the event's property and the trigger's must be present and equal (as text). */
    private static boolean sameKey(FlowRunStore.LiveRun run, FlowNode.WaitForEvent wait, EventTrackedEvent event) {
        if (wait.matchKey() == null) {
            return true;
        }
        Object expected = run.data() == null ? null : run.data().get(wait.matchKey());
        Object actual = event.properties() == null ? null : event.properties().get(wait.matchKey());
        return expected != null && actual != null && Objects.equals(expected.toString(), actual.toString());
    }

    private boolean matches(EventTrackedEvent event, List<SegmentRule.PropertyFilter> where) {
        if (where == null || where.isEmpty()) {
            return true;
        }
        Map<String, Object> properties = event.properties() == null ? Map.of() : event.properties();
        RuleMatchView match = FlowDefinitions.join(queries.query(new EventPropertiesMatchQuery(properties, where),
                                                                 ResponseTypes.instanceOf(RuleMatchView.class)));
        return match.matches();
    }

    /** The event names that some version of a flow that may have live runs exits on or waits for. */
    private Set<String> names() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(FlowTriggers.REFRESH) < 0) {
            return names;
        }
        Set<String> found = new HashSet<>();
        for (FlowSummaryView flow : definitions.summaries()) {
            if (flow.status() == FlowStatus.DRAFT || flow.status() == FlowStatus.STOPPED) {
                continue;
            }
            for (int v = 1; v <= flow.latestVersion(); v++) {
                FlowVersionView version = definitions.version(UUID.fromString(flow.id()), v);
                if (version != null) {
                    collect(version.definition(), found);
                }
            }
        }
        names = Set.copyOf(found);
        readAt = now;
        return names;
    }

    private static void collect(FlowDefinition definition, Set<String> into) {
        if (definition.entry() != null && definition.entry().exitOn() != null) {
            definition.entry().exitOn().stream().map(FlowEntryPolicy.ExitCondition::event).filter(Objects::nonNull)
                    .forEach(into::add);
        }
        if (definition.nodes() != null) {
            definition.nodes().stream().filter(FlowNode.WaitForEvent.class::isInstance)
                    .map(node -> ((FlowNode.WaitForEvent) node).event()).filter(Objects::nonNull).forEach(into::add);
        }
    }
}
