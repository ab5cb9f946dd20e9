package io.herald.command.flow;

import io.herald.api.campaign.CampaignContent;
import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowDefinitionException;
import io.herald.api.flow.FlowEntryPolicy;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowTrigger;
import io.herald.api.segment.InvalidSegmentRuleException;
import io.herald.api.segment.SegmentRule;
import io.herald.api.segment.SegmentRules;
import io.herald.template.LiquidTemplates;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.herald.api.flow.FlowDefinitionException.CHILD_DANGLING;
import static io.herald.api.flow.FlowDefinitionException.CHILD_MISSING;
import static io.herald.api.flow.FlowDefinitionException.ENTRY_COUNT;
import static io.herald.api.flow.FlowDefinitionException.ENTRY_POLICY_INVALID;
import static io.herald.api.flow.FlowDefinitionException.INVALID;
import static io.herald.api.flow.FlowDefinitionException.LOOP_WITHOUT_WAIT;
import static io.herald.api.flow.FlowDefinitionException.NODE_ID_DUPLICATE;
import static io.herald.api.flow.FlowDefinitionException.NODE_INVALID;
import static io.herald.api.flow.FlowDefinitionException.SPLIT_PERCENT;
import static io.herald.api.flow.FlowDefinitionException.TEMPLATE_INVALID;
import static io.herald.api.flow.FlowDefinitionException.TRIGGER_INVALID;
import static io.herald.api.flow.FlowDefinitionException.UNREACHABLE;

/**
 * The rules of a flow definition, checked without I/O: the trigger, the entry policy, every node's
 * fields (templates must parse, segment rules must be well-formed) and the graph (one entry node,
 * unique ids, no dangling child, every node reachable from the entry, every loop through a wait).
 * The first problem found is thrown as a {@link FlowDefinitionException} naming the node id and field.
 * Segments referred to are returned for the caller to check they exist (that needs a lookup).
 */
final class FlowDefinitionValidator {

    static final int MAX_NODES = 500;
    static final int SMS_MAX_LENGTH = 1600;
    static final int MAX_REENTRY_DAYS = 3650;
    static final Duration MAX_WAIT = Duration.ofDays(365);
    static final Pattern NODE_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_.$-]{1,100}$");
    private static final Pattern TIME_OF_DAY = Pattern.compile("^\\d{2}:\\d{2}$");
    private static final LiquidTemplates TEMPLATES = new LiquidTemplates();

    /** A segment the definition refers to, and where. */
    record SegmentReference(String nodeId, String field, String segmentId) {
    }

    private FlowDefinitionValidator() {
    }

    /** Checks {@code definition}; answers the segments it refers to, in order. */
    static List<SegmentReference> validate(FlowDefinition definition) {
        if (definition == null) {
            throw new FlowDefinitionException(INVALID, null, "definition", "a definition is required");
        }
        List<SegmentReference> segments = new ArrayList<>();
        checkTrigger(definition.trigger(), segments);
        checkEntryPolicy(definition.entry(), definition.trigger());
        checkTimeZone(definition.timeZone());
        Map<String, FlowNode> nodes = checkIds(definition.nodes());
        for (FlowNode node : nodes.values()) {
            checkNode(node, definition.trigger(), segments);
        }
        checkGraph(nodes);
        checkLayout(definition.layout(), nodes);
        return segments;
    }

    /** The editor's positions: only of nodes the definition has (so the layout stays as small as the graph). */
    private static void checkLayout(Map<String, FlowDefinition.Position> layout, Map<String, FlowNode> nodes) {
        if (layout == null) {
            return;
        }
        for (Map.Entry<String, FlowDefinition.Position> place : layout.entrySet()) {
            if (!nodes.containsKey(place.getKey())) {
                throw new FlowDefinitionException(INVALID, null, "layout." + place.getKey(),
                                                  "a position of a node the definition lacks");
            }
            if (place.getValue() == null || !Double.isFinite(place.getValue().x())
                    || !Double.isFinite(place.getValue().y())) {
                throw new FlowDefinitionException(INVALID, place.getKey(), "layout." + place.getKey(),
                                                  "a position is {\"x\": number, \"y\": number}");
            }
        }
    }

    // --- trigger, entry policy, time zone

    private static void checkTrigger(FlowTrigger trigger, List<SegmentReference> segments) {
        switch (trigger) {
            case null -> throw new FlowDefinitionException(TRIGGER_INVALID, null, "trigger",
                                                           "a trigger is required (event, segment or api)");
            case FlowTrigger.Event event -> {
                checkEventFilter(event.event(), event.where(), null, "trigger", TRIGGER_INVALID);
                if (event.dedupKey() != null && !KEY.matcher(event.dedupKey()).matches()) {
                    throw new FlowDefinitionException(TRIGGER_INVALID, null, "trigger.dedupKey",
                                                      "dedupKey is a property name (letters, digits, _ . $ -)");
                }
            }
            case FlowTrigger.SegmentEntry entry -> {
                if (isBlank(entry.segmentId())) {
                    throw new FlowDefinitionException(TRIGGER_INVALID, null, "trigger.segmentId",
                                                      "a segment trigger needs a segmentId");
                }
                segments.add(new SegmentReference(null, "trigger.segmentId", entry.segmentId()));
            }
            case FlowTrigger.Api ignored -> {
            }
        }
    }

    private static void checkEntryPolicy(FlowEntryPolicy policy, FlowTrigger trigger) {
        if (policy == null) {
            return;
        }
        if (policy.concurrency() == FlowEntryPolicy.Concurrency.PER_DEDUP_KEY && !(trigger instanceof FlowTrigger.Event)) {
            throw new FlowDefinitionException(ENTRY_POLICY_INVALID, null, "entry.concurrency",
                                              "PER_DEDUP_KEY needs an event trigger (its dedupKey)");
        }
        if (policy.reEntry() == FlowEntryPolicy.ReEntry.AFTER_DAYS) {
            if (policy.reEntryAfterDays() == null || policy.reEntryAfterDays() < 1
                    || policy.reEntryAfterDays() > MAX_REENTRY_DAYS) {
                throw new FlowDefinitionException(ENTRY_POLICY_INVALID, null, "entry.reEntryAfterDays",
                                                  "AFTER_DAYS needs reEntryAfterDays from 1 to " + MAX_REENTRY_DAYS);
            }
        } else if (policy.reEntryAfterDays() != null) {
            throw new FlowDefinitionException(ENTRY_POLICY_INVALID, null, "entry.reEntryAfterDays",
                                              "reEntryAfterDays goes with reEntry AFTER_DAYS");
        }
        if (policy.exitOn() != null) {
            if (policy.exitOn().size() > 20) {
                throw new FlowDefinitionException(ENTRY_POLICY_INVALID, null, "entry.exitOn", "at most 20 exit conditions");
            }
            for (int i = 0; i < policy.exitOn().size(); i++) {
                FlowEntryPolicy.ExitCondition exit = policy.exitOn().get(i);
                String at = "entry.exitOn[" + i + "]";
                if (exit == null) {
                    throw new FlowDefinitionException(ENTRY_POLICY_INVALID, null, at, "an exit condition is required");
                }
                checkEventFilter(exit.event(), exit.where(), null, at, ENTRY_POLICY_INVALID);
            }
        }
    }

    private static void checkTimeZone(String zone) {
        if (zone == null) {
            return;
        }
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new FlowDefinitionException(INVALID, null, "timeZone", "not a time zone id (e.g. Europe/Paris)");
        }
    }

    /** An event name with property filters, checked by the segment language's rules for a behaviour's {@code where}. */
    private static void checkEventFilter(String event, List<SegmentRule.PropertyFilter> where, String nodeId,
                                         String prefix, String code) {
        try {
            SegmentRules.validate(new SegmentRule.Behaviour(event, null, null, null, null, null, where), prefix);
        } catch (InvalidSegmentRuleException e) {
            String field = e.field().startsWith(".") ? e.field().substring(1) : e.field();
            throw new FlowDefinitionException(code, nodeId, field, ruleMessage(e));
        }
    }

    private static String ruleMessage(InvalidSegmentRuleException e) {
        String message = e.getMessage();
        String prefix = e.field() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    // --- nodes

    private static Map<String, FlowNode> checkIds(List<FlowNode> list) {
        if (list == null || list.isEmpty()) {
            throw new FlowDefinitionException(INVALID, null, "nodes", "a flow needs nodes, one of them the entry");
        }
        if (list.size() > MAX_NODES) {
            throw new FlowDefinitionException(INVALID, null, "nodes", "a flow has at most " + MAX_NODES + " nodes");
        }
        Map<String, FlowNode> nodes = new LinkedHashMap<>();
        String entry = null;
        for (int i = 0; i < list.size(); i++) {
            FlowNode node = list.get(i);
            if (node == null) {
                throw new FlowDefinitionException(INVALID, null, "nodes[" + i + "]", "a node is required");
            }
            if (node.id() == null || !NODE_ID.matcher(node.id()).matches()) {
                throw new FlowDefinitionException(NODE_INVALID, null, "nodes[" + i + "].id",
                                                  "a node id is 1-64 letters, digits, _ or -");
            }
            if (nodes.putIfAbsent(node.id(), node) != null) {
                throw new FlowDefinitionException(NODE_ID_DUPLICATE, node.id(), "id",
                                                  "another node has the id " + node.id());
            }
            if (node instanceof FlowNode.Entry) {
                if (entry != null) {
                    throw new FlowDefinitionException(ENTRY_COUNT, node.id(), "type",
                                                      "a flow has one entry node; " + entry + " is one already");
                }
                entry = node.id();
            }
        }
        if (entry == null) {
            throw new FlowDefinitionException(ENTRY_COUNT, null, "nodes", "a flow needs one node of type entry");
        }
        return nodes;
    }

    private static void checkNode(FlowNode node, FlowTrigger trigger, List<SegmentReference> segments) {
        String id = node.id();
        for (FlowNode.Edge edge : node.edges()) {
            if (isBlank(edge.target())) {
                throw new FlowDefinitionException(CHILD_MISSING, id, edge.field(), "the id of the next node is required");
            }
        }
        switch (node) {
            case FlowNode.Entry ignored -> {
            }
            case FlowNode.Send send -> checkSend(send);
            case FlowNode.Wait wait -> checkWait(wait);
            case FlowNode.WaitForEvent wait -> {
                checkEventFilter(wait.event(), wait.where(), id, "", NODE_INVALID);
                if (wait.matchKey() != null) {
                    if (!KEY.matcher(wait.matchKey()).matches()) {
                        throw new FlowDefinitionException(NODE_INVALID, id, "matchKey",
                                                          "matchKey is a property name (letters, digits, _ . $ -)");
                    }
                    if (!(trigger instanceof FlowTrigger.Event)) {
                        throw new FlowDefinitionException(NODE_INVALID, id, "matchKey",
                                                          "matchKey compares with the triggering event: it needs an event trigger");
                    }
                }
                requirePositive(id, "timeout", wait.timeout());
            }
            case FlowNode.Branch branch -> {
                if (branch.rule() == null) {
                    throw new FlowDefinitionException(NODE_INVALID, id, "rule", "a branch needs a rule");
                }
                try {
                    SegmentRules.validate(branch.rule(), "rule");
                } catch (InvalidSegmentRuleException e) {
                    throw new FlowDefinitionException(NODE_INVALID, id, e.field(), ruleMessage(e));
                }
                for (String segmentId : SegmentRules.referencedSegments(branch.rule())) {
                    segments.add(new SegmentReference(id, "rule", segmentId));
                }
            }
            case FlowNode.Split split -> checkSplit(split);
            case FlowNode.UpdateContact update -> checkUpdate(update);
            case FlowNode.Webhook webhook -> {
                if (isBlank(webhook.url())) {
                    throw new FlowDefinitionException(NODE_INVALID, id, "url", "a webhook node needs a url");
                }
                checkTemplate(id, "url", webhook.url());
                if (!webhook.url().contains("{{") && !isHttpUrl(webhook.url())) {
                    throw new FlowDefinitionException(NODE_INVALID, id, "url", "url must be an absolute http or https URL");
                }
                checkTemplate(id, "body", webhook.body());
            }
            case FlowNode.Exit ignored -> {
            }
        }
    }

    private static void checkSend(FlowNode.Send send) {
        String id = send.id();
        if (send.channel() == null) {
            throw new FlowDefinitionException(NODE_INVALID, id, "channel", "channel is EMAIL, SMS or WEBHOOK");
        }
        CampaignContent content = send.content();
        if (content == null) {
            throw new FlowDefinitionException(NODE_INVALID, id, "content", "a send node needs content");
        }
        switch (send.channel()) {
            case EMAIL -> {
                require(id, "content.subject", content.subject(), "an email needs a subject");
                if (isBlank(content.body()) && isBlank(content.html())) {
                    throw new FlowDefinitionException(NODE_INVALID, id, "content.body",
                                                      "an email needs a text body, an HTML body or both");
                }
            }
            case SMS -> {
                require(id, "content.body", content.body(), "an SMS needs a body");
                if (content.body().length() > SMS_MAX_LENGTH) {
                    throw new FlowDefinitionException(NODE_INVALID, id, "content.body",
                                                      "an SMS body is at most " + SMS_MAX_LENGTH + " characters");
                }
            }
            case WEBHOOK -> {
                require(id, "content.url", content.url(), "a webhook send needs a url");
                if (!isHttpUrl(content.url())) {
                    throw new FlowDefinitionException(NODE_INVALID, id, "content.url",
                                                      "content.url must be an absolute http or https URL");
                }
            }
        }
        checkTemplate(id, "content.subject", content.subject());
        checkTemplate(id, "content.body", content.body());
        checkTemplate(id, "content.html", content.html());
        checkTemplate(id, "content.payload", content.payload());
    }

    private static void checkWait(FlowNode.Wait wait) {
        String id = wait.id();
        int modes = (wait.duration() != null ? 1 : 0) + (wait.timeOfDay() != null ? 1 : 0)
                + (wait.dateAttribute() != null ? 1 : 0);
        if (modes != 1) {
            throw new FlowDefinitionException(NODE_INVALID, id, "duration",
                                              "a wait has exactly one of duration, timeOfDay and dateAttribute");
        }
        if (wait.duration() != null) {
            requirePositive(id, "duration", wait.duration());
        }
        if (wait.timeOfDay() != null) {
            try {
                if (!TIME_OF_DAY.matcher(wait.timeOfDay()).matches()) {
                    throw new DateTimeParseException("not HH:mm", wait.timeOfDay(), 0);
                }
                LocalTime.parse(wait.timeOfDay());
            } catch (DateTimeParseException e) {
                throw new FlowDefinitionException(NODE_INVALID, id, "timeOfDay", "timeOfDay is HH:mm, e.g. 09:30");
            }
        }
        if (wait.weekdays() != null) {
            if (wait.timeOfDay() == null) {
                throw new FlowDefinitionException(NODE_INVALID, id, "weekdays", "weekdays go with timeOfDay");
            }
            if (wait.weekdays().isEmpty() || wait.weekdays().stream().anyMatch(java.util.Objects::isNull)) {
                throw new FlowDefinitionException(NODE_INVALID, id, "weekdays",
                                                  "weekdays lists at least one day (MONDAY ... SUNDAY)");
            }
        }
        if (wait.dateAttribute() != null && !KEY.matcher(wait.dateAttribute()).matches()) {
            throw new FlowDefinitionException(NODE_INVALID, id, "dateAttribute",
                                              "dateAttribute is an attribute name (letters, digits, _ . $ -)");
        }
        if (wait.offset() != null) {
            if (wait.dateAttribute() == null) {
                throw new FlowDefinitionException(NODE_INVALID, id, "offset", "offset goes with dateAttribute");
            }
            Duration offset = duration(id, "offset", wait.offset());
            if (offset.abs().compareTo(MAX_WAIT) > 0) {
                throw new FlowDefinitionException(NODE_INVALID, id, "offset", "offset is at most 365 days either way");
            }
        }
    }

    private static void checkSplit(FlowNode.Split split) {
        String id = split.id();
        if (split.paths() == null || split.paths().size() < 2 || split.paths().size() > 10) {
            throw new FlowDefinitionException(NODE_INVALID, id, "paths", "a split has 2 to 10 paths");
        }
        int sum = 0;
        for (int i = 0; i < split.paths().size(); i++) {
            FlowNode.SplitPath path = split.paths().get(i);
            Integer percent = path.percent();
            if (percent == null || percent < 1 || percent > 99) {
                throw new FlowDefinitionException(NODE_INVALID, id, "paths[" + i + "].percent",
                                                  "percent is a whole number from 1 to 99");
            }
            sum += percent;
        }
        if (sum != 100) {
            throw new FlowDefinitionException(SPLIT_PERCENT, id, "paths",
                                              "the paths' percentages sum to " + sum + ", not 100", Map.of("sum", sum));
        }
    }

    private static void checkUpdate(FlowNode.UpdateContact update) {
        String id = update.id();
        boolean set = update.set() != null && !update.set().isEmpty();
        boolean remove = update.remove() != null && !update.remove().isEmpty();
        boolean consent = update.consent() != null && !update.consent().isEmpty();
        if (!set && !remove && !consent) {
            throw new FlowDefinitionException(NODE_INVALID, id, "set",
                                              "an update_contact node sets or removes attributes or records consent");
        }
        if (set) {
            for (String key : update.set().keySet()) {
                if (key == null || !KEY.matcher(key).matches()) {
                    throw new FlowDefinitionException(NODE_INVALID, id, "set." + key,
                                                      "an attribute name is 1-100 letters, digits, _ . $ -");
                }
            }
        }
        if (remove) {
            for (int i = 0; i < update.remove().size(); i++) {
                String key = update.remove().get(i);
                if (key == null || !KEY.matcher(key).matches()) {
                    throw new FlowDefinitionException(NODE_INVALID, id, "remove[" + i + "]",
                                                      "an attribute name is 1-100 letters, digits, _ . $ -");
                }
                if (set && update.set().containsKey(key)) {
                    throw new FlowDefinitionException(NODE_INVALID, id, "remove[" + i + "]",
                                                      key + " is both set and removed");
                }
            }
        }
        if (consent) {
            for (int i = 0; i < update.consent().size(); i++) {
                FlowNode.ConsentChange change = update.consent().get(i);
                if (change == null || change.channel() == null || change.status() == null) {
                    throw new FlowDefinitionException(NODE_INVALID, id, "consent[" + i + "]",
                                                      "a consent change has a channel and a status");
                }
            }
        }
    }

    // --- graph

    private static void checkGraph(Map<String, FlowNode> nodes) {
        String entry = null;
        for (FlowNode node : nodes.values()) {
            if (node instanceof FlowNode.Entry) {
                entry = node.id();
            }
            for (FlowNode.Edge edge : node.edges()) {
                if (!nodes.containsKey(edge.target())) {
                    throw new FlowDefinitionException(CHILD_DANGLING, node.id(), edge.field(),
                                                      "no node has the id " + edge.target(),
                                                      Map.of("childId", edge.target()));
                }
            }
        }
        for (FlowNode node : nodes.values()) {
            for (FlowNode.Edge edge : node.edges()) {
                if (edge.target().equals(entry)) {
                    throw new FlowDefinitionException(NODE_INVALID, node.id(), edge.field(),
                                                      "the entry node starts runs; no node leads back to it");
                }
            }
        }
        Set<String> reached = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(entry));
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (reached.add(id)) {
                nodes.get(id).edges().forEach(edge -> queue.add(edge.target()));
            }
        }
        for (FlowNode node : nodes.values()) {
            if (!reached.contains(node.id())) {
                throw new FlowDefinitionException(UNREACHABLE, node.id(), "id",
                                                  "no path from the entry node leads to this node");
            }
        }
        checkLoops(nodes, entry);
    }

    /**
     * A loop must pass through a wait: with the edges out of waiting nodes left out, the graph has no
     * cycle. A depth-first search in node order; the edge that closes a cycle is reported.
     */
    private static void checkLoops(Map<String, FlowNode> nodes, String entry) {
        Map<String, Integer> state = new HashMap<>(); // 1 on the current path, 2 done
        List<String> order = new ArrayList<>();
        order.add(entry);
        order.addAll(nodes.keySet());
        for (String start : order) {
            if (state.containsKey(start)) {
                continue;
            }
            Deque<Object[]> stack = new ArrayDeque<>();
            stack.push(new Object[]{start, 0});
            state.put(start, 1);
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                FlowNode node = nodes.get((String) frame[0]);
                List<FlowNode.Edge> edges = node.waits() ? List.of() : node.edges();
                int next = (int) frame[1];
                if (next >= edges.size()) {
                    state.put(node.id(), 2);
                    stack.pop();
                    continue;
                }
                frame[1] = next + 1;
                FlowNode.Edge edge = edges.get(next);
                Integer seen = state.get(edge.target());
                if (seen == null) {
                    state.put(edge.target(), 1);
                    stack.push(new Object[]{edge.target(), 0});
                } else if (seen == 1) {
                    throw new FlowDefinitionException(LOOP_WITHOUT_WAIT, node.id(), edge.field(),
                                                      "this edge to " + edge.target()
                                                              + " closes a loop with no wait in it",
                                                      Map.of("childId", edge.target()));
                }
            }
        }
    }

    // --- fields

    private static void checkTemplate(String nodeId, String field, String template) {
        if (template == null || template.isEmpty()) {
            return;
        }
        TEMPLATES.check(template).ifPresent(problem -> {
            throw new FlowDefinitionException(TEMPLATE_INVALID, nodeId, field,
                                              problem.message() + " (line " + problem.line() + ", column "
                                                      + problem.column() + ")",
                                              Map.of("line", problem.line(), "column", problem.column()));
        });
    }

    private static void requirePositive(String nodeId, String field, String text) {
        if (text == null) {
            throw new FlowDefinitionException(NODE_INVALID, nodeId, field, field + " is required (e.g. PT1H)");
        }
        Duration duration = duration(nodeId, field, text);
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_WAIT) > 0) {
            throw new FlowDefinitionException(NODE_INVALID, nodeId, field, field + " is more than 0 and at most 365 days");
        }
    }

    private static Duration duration(String nodeId, String field, String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new FlowDefinitionException(NODE_INVALID, nodeId, field,
                                              field + " is an ISO-8601 duration, e.g. PT1H, PT30M or P2D");
        }
    }

    private static void require(String nodeId, String field, String value, String message) {
        if (isBlank(value)) {
            throw new FlowDefinitionException(NODE_INVALID, nodeId, field, message);
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
