package io.herald.api.flow;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.Channel;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.segment.SegmentRule;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node of a flow's graph: one record per kind of node, written in JSON as an object whose
 * {@code type} names the kind. Every node has an {@code id} chosen by the client (stable across
 * versions, so a run can be placed on a node of the next version); edges are the ids of its
 * children ({@code next}, {@code trueNext}/{@code falseNext}, {@code timeoutNext},
 * {@code paths[i].next}). A record holds what was sent, not yet checked: the command side's
 * validator checks a whole definition and names the node id and field of the first problem.
 * Durations are ISO-8601 texts ({@code PT1H}, {@code P2D}); times of day {@code HH:mm}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = FlowNode.Entry.class, name = "entry"),
        @JsonSubTypes.Type(value = FlowNode.Send.class, name = "send"),
        @JsonSubTypes.Type(value = FlowNode.Wait.class, name = "wait"),
        @JsonSubTypes.Type(value = FlowNode.WaitForEvent.class, name = "wait_for_event"),
        @JsonSubTypes.Type(value = FlowNode.Branch.class, name = "branch"),
        @JsonSubTypes.Type(value = FlowNode.Split.class, name = "split"),
        @JsonSubTypes.Type(value = FlowNode.UpdateContact.class, name = "update_contact"),
        @JsonSubTypes.Type(value = FlowNode.Webhook.class, name = "webhook"),
        @JsonSubTypes.Type(value = FlowNode.Exit.class, name = "exit")})
public sealed interface FlowNode {

    /** The node's id, unique in its definition. */
    String id();

    /** The node's {@code type} in JSON. */
    default String type() {
        return switch (this) {
            case Entry ignored -> "entry";
            case Send ignored -> "send";
            case Wait ignored -> "wait";
            case WaitForEvent ignored -> "wait_for_event";
            case Branch ignored -> "branch";
            case Split ignored -> "split";
            case UpdateContact ignored -> "update_contact";
            case Webhook ignored -> "webhook";
            case Exit ignored -> "exit";
        };
    }

    /** Whether a run stops here for a while (a loop in the graph must pass through such a node). */
    default boolean waits() {
        return this instanceof Wait || this instanceof WaitForEvent;
    }

    /** The node's outgoing edges in order, each named by the field that holds it; a missing child is a null target. */
    default List<Edge> edges() {
        return switch (this) {
            case Entry n -> List.of(new Edge("next", n.next()));
            case Send n -> List.of(new Edge("next", n.next()));
            case Wait n -> List.of(new Edge("next", n.next()));
            case WaitForEvent n -> List.of(new Edge("next", n.next()), new Edge("timeoutNext", n.timeoutNext()));
            case Branch n -> List.of(new Edge("trueNext", n.trueNext()), new Edge("falseNext", n.falseNext()));
            case Split n -> {
                List<Edge> edges = new ArrayList<>();
                if (n.paths() != null) {
                    for (int i = 0; i < n.paths().size(); i++) {
                        SplitPath path = n.paths().get(i);
                        edges.add(new Edge("paths[" + i + "].next", path == null ? null : path.next()));
                    }
                }
                yield edges;
            }
            case UpdateContact n -> List.of(new Edge("next", n.next()));
            case Webhook n -> List.of(new Edge("next", n.next()));
            case Exit ignored -> List.of();
        };
    }

    /** An edge from a node: the field holding it and the child's id. */
    record Edge(String field, String target) {
    }

    /** Where every run starts (exactly one per definition). */
    record Entry(String id, String next) implements FlowNode {
    }

    /**
     * Sends one message, with content as campaigns have it (Liquid templates, which may also use
     * {@code {{ trigger.* }}}, the triggering event's properties). A transactional send ignores
     * marketing consent (not unsubscribes of the channel itself: decided by the runtime); absent: false.
     */
    record Send(String id, Channel channel, CampaignContent content, Boolean transactional, String next)
            implements FlowNode {
    }

    /**
     * Waits: for a {@code duration}; or until the next {@code timeOfDay} on one of {@code weekdays}
     * (all days when absent) in the contact's time zone (the flow's {@code timeZone} when the contact
     * has none); or until the date in the contact attribute {@code dateAttribute} plus {@code offset}
     * (negative: before it). Exactly one of duration, timeOfDay and dateAttribute.
     */
    record Wait(String id, String duration, String timeOfDay, List<DayOfWeek> weekdays, String dateAttribute,
                String offset, String next) implements FlowNode {
    }

    /**
     * Waits for the contact's next event {@code event} whose properties match {@code where}; with a
     * {@code matchKey} (e.g. {@code cartId}) only an event whose property of that name equals the
     * triggering event's. After {@code timeout} without one the run goes on at {@code timeoutNext}.
     */
    record WaitForEvent(String id, String event, List<SegmentRule.PropertyFilter> where, String matchKey,
                        String timeout, String next, String timeoutNext) implements FlowNode {
    }

    /** Goes on at {@code trueNext} when the contact matches {@code rule} (a segment rule tree), else at {@code falseNext}. */
    record Branch(String id, SegmentRule rule, String trueNext, String falseNext) implements FlowNode {
    }

    /** Random A/B/n split: each path takes its {@code percent} of the runs; the percentages sum to 100. */
    record Split(String id, List<SplitPath> paths) implements FlowNode {
    }

    /** One path of a split. */
    record SplitPath(String name, Integer percent, String next) {
    }

    /** Sets and removes contact attributes and records consent. */
    record UpdateContact(String id, Map<String, Object> set, List<String> remove, List<ConsentChange> consent,
                         String next) implements FlowNode {
    }

    /** A consent to record on a channel. */
    record ConsentChange(Channel channel, ConsentStatus status) {
    }

    /** Posts {@code body} (a Liquid template of JSON) to {@code url}. */
    record Webhook(String id, String url, String body, String next) implements FlowNode {
    }

    /** The run ends here. */
    record Exit(String id) implements FlowNode {
    }
}
