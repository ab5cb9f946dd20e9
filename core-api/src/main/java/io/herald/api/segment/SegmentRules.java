package io.herald.api.segment;

import io.herald.api.contact.AttributeValues;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape rules of a segment's rule tree, shared by the command side (definitions) and the query
 * side (previews). Errors name the path of the bad node from {@code rules}.
 */
public final class SegmentRules {

    public static final int MAX_DEPTH = 20;
    public static final int MAX_NODES = 500;
    public static final int MAX_LIST = 1000;
    public static final int MAX_DAYS = 36_500;
    public static final Set<String> TYPES = Set.of("and", "or", "not", "attribute", "field", "behaviour", "consent",
                                                   "segment");
    public static final Set<String> VALUE_OPERATORS = Set.of("eq", "neq", "contains", "starts_with", "gt", "gte", "lt",
                                                             "lte", "in", "exists", "before", "after", "within_last");
    public static final Set<String> FIELDS = Set.of("email", "externalId", "phone", "locale", "timeZone", "createdAt");
    public static final Set<String> BEHAVIOUR_OPERATORS = Set.of("at_least", "at_most", "exactly", "not_performed");

    private SegmentRules() {
    }

    /** Checks the tree; throws {@link InvalidSegmentRuleException} naming the first bad node. */
    public static void validate(SegmentRule root, String rootPath) {
        int[] nodes = {0};
        check(root, rootPath, 1, nodes);
    }

    /** Ids of the segments the tree refers to (membership nodes). */
    public static Set<String> referencedSegments(SegmentRule root) {
        Set<String> ids = new LinkedHashSet<>();
        collect(root, ids);
        return ids;
    }

    private static void collect(SegmentRule rule, Set<String> ids) {
        if (rule == null) {
            return;
        }
        if ("segment".equals(rule.type()) && rule.segmentId() != null) {
            ids.add(rule.segmentId().toLowerCase());
        }
        if (rule.children() != null) {
            rule.children().forEach(c -> collect(c, ids));
        }
    }

    private static void check(SegmentRule rule, String path, int depth, int[] nodes) {
        if (rule == null) {
            throw new InvalidSegmentRuleException(path, "a rule node is required");
        }
        if (++nodes[0] > MAX_NODES) {
            throw new InvalidSegmentRuleException(path, "a rule tree has at most " + MAX_NODES + " nodes");
        }
        if (depth > MAX_DEPTH) {
            throw new InvalidSegmentRuleException(path, "a rule tree is at most " + MAX_DEPTH + " levels deep");
        }
        String type = rule.type();
        if (type == null || !TYPES.contains(type)) {
            throw new InvalidSegmentRuleException(path + ".type", "type must be one of " + sorted(TYPES));
        }
        switch (type) {
            case "and", "or", "not" -> {
                List<SegmentRule> children = rule.children();
                if (children == null || children.isEmpty()) {
                    throw new InvalidSegmentRuleException(path + ".children", type + " needs children");
                }
                if ("not".equals(type) && children.size() != 1) {
                    throw new InvalidSegmentRuleException(path + ".children", "not takes exactly one child");
                }
                if (children.size() > 100) {
                    throw new InvalidSegmentRuleException(path + ".children", "at most 100 children");
                }
                onlyFields(rule, path, "children");
                for (int i = 0; i < children.size(); i++) {
                    check(children.get(i), path + ".children[" + i + "]", depth + 1, nodes);
                }
            }
            case "attribute" -> {
                requireKey(rule.attribute(), path + ".attribute");
                checkCondition(rule.operator(), rule.value(), path, false);
                onlyFields(rule, path, "attribute", "operator", "value");
            }
            case "field" -> {
                if (rule.attribute() == null || !FIELDS.contains(rule.attribute())) {
                    throw new InvalidSegmentRuleException(path + ".attribute", "field must be one of " + sorted(FIELDS));
                }
                boolean date = "createdAt".equals(rule.attribute());
                String op = rule.operator();
                if (op != null && date != Set.of("before", "after", "within_last", "exists").contains(op)) {
                    throw new InvalidSegmentRuleException(path + ".operator", date
                            ? "createdAt takes before, after or within_last"
                            : "a text field takes eq, neq, contains, starts_with, in or exists");
                }
                if (op != null && !date && Set.of("gt", "gte", "lt", "lte").contains(op)) {
                    throw new InvalidSegmentRuleException(path + ".operator", "a text field is not compared by size");
                }
                checkCondition(op, rule.value(), path, false);
                if (!date && rule.value() != null && !(rule.value() instanceof String) && !(rule.value() instanceof List)) {
                    throw new InvalidSegmentRuleException(path + ".value", "a text field compares with text");
                }
                onlyFields(rule, path, "attribute", "operator", "value");
            }
            case "behaviour" -> checkBehaviour(rule, path);
            case "consent" -> {
                if (rule.channel() == null) {
                    throw new InvalidSegmentRuleException(path + ".channel", "channel is required");
                }
                if (rule.status() == null) {
                    throw new InvalidSegmentRuleException(path + ".status", "status is required");
                }
                onlyFields(rule, path, "channel", "status");
            }
            case "segment" -> {
                if (rule.segmentId() == null || !rule.segmentId().matches(
                        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")) {
                    throw new InvalidSegmentRuleException(path + ".segmentId", "segmentId must be a segment's id");
                }
                onlyFields(rule, path, "segmentId");
            }
            default -> throw new IllegalStateException(type);
        }
    }

    private static void checkBehaviour(SegmentRule rule, String path) {
        if (rule.event() == null || rule.event().isBlank() || rule.event().length() > 200) {
            throw new InvalidSegmentRuleException(path + ".event", "event is required (at most 200 characters)");
        }
        String op = rule.operator() == null ? "at_least" : rule.operator();
        if (!BEHAVIOUR_OPERATORS.contains(op)) {
            throw new InvalidSegmentRuleException(path + ".operator", "operator must be one of "
                    + sorted(BEHAVIOUR_OPERATORS));
        }
        if ("not_performed".equals(op)) {
            if (rule.count() != null) {
                throw new InvalidSegmentRuleException(path + ".count", "not_performed takes no count");
            }
        } else if (rule.count() == null && !"at_least".equals(op)) {
            throw new InvalidSegmentRuleException(path + ".count", op + " needs a count");
        } else if (rule.count() != null && (rule.count() < 0 || rule.count() > 1_000_000)) {
            throw new InvalidSegmentRuleException(path + ".count", "count must be between 0 and 1000000");
        } else if ("at_least".equals(op) && rule.count() != null && rule.count() < 1) {
            throw new InvalidSegmentRuleException(path + ".count", "at_least needs a count of 1 or more");
        }
        if (rule.withinLastDays() != null) {
            if (rule.from() != null || rule.to() != null) {
                throw new InvalidSegmentRuleException(path + ".withinLastDays", "give withinLastDays or from/to, not both");
            }
            if (rule.withinLastDays() < 1 || rule.withinLastDays() > MAX_DAYS) {
                throw new InvalidSegmentRuleException(path + ".withinLastDays", "withinLastDays must be 1–" + MAX_DAYS);
            }
        }
        if (rule.from() != null && rule.to() != null && !rule.from().isBefore(rule.to())) {
            throw new InvalidSegmentRuleException(path + ".to", "to must be after from");
        }
        if (rule.where() != null) {
            if (rule.where().size() > 20) {
                throw new InvalidSegmentRuleException(path + ".where", "at most 20 property filters");
            }
            for (int i = 0; i < rule.where().size(); i++) {
                SegmentRule.PropertyFilter filter = rule.where().get(i);
                String at = path + ".where[" + i + "]";
                if (filter == null) {
                    throw new InvalidSegmentRuleException(at, "a property filter is required");
                }
                requireKey(filter.property(), at + ".property");
                checkCondition(filter.operator(), filter.value(), at, true);
            }
        }
        onlyFields(rule, path, "event", "operator", "count", "withinLastDays", "from", "to", "where");
    }

    private static void checkCondition(String op, Object value, String path, boolean property) {
        if (op == null || !VALUE_OPERATORS.contains(op)) {
            throw new InvalidSegmentRuleException(path + ".operator", "operator must be one of " + sorted(VALUE_OPERATORS));
        }
        String at = path + ".value";
        switch (op) {
            case "eq", "neq" -> requireScalar(value, at);
            case "contains", "starts_with" -> {
                if (!(value instanceof String s) || s.isEmpty() || s.length() > 1000) {
                    throw new InvalidSegmentRuleException(at, op + " needs a non-empty text value");
                }
            }
            case "gt", "gte", "lt", "lte" -> {
                if (!(value instanceof Number)) {
                    throw new InvalidSegmentRuleException(at, op + " needs a number");
                }
            }
            case "in" -> {
                if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > MAX_LIST) {
                    throw new InvalidSegmentRuleException(at, "in needs a list of 1–" + MAX_LIST + " values");
                }
                for (int i = 0; i < list.size(); i++) {
                    requireScalar(list.get(i), at + "[" + i + "]");
                }
            }
            case "exists" -> {
                if (value != null && !(value instanceof Boolean)) {
                    throw new InvalidSegmentRuleException(at, "exists takes no value, or true/false");
                }
            }
            case "before", "after" -> {
                if (!(value instanceof String s) || AttributeValues.canonicalDate(s) == null) {
                    throw new InvalidSegmentRuleException(at, op + " needs an ISO-8601 date or date-time");
                }
            }
            case "within_last" -> {
                if (!(value instanceof Integer days) || days < 1 || days > MAX_DAYS) {
                    throw new InvalidSegmentRuleException(at, "within_last needs a whole number of days, 1–" + MAX_DAYS);
                }
            }
            default -> throw new IllegalStateException(op);
        }
    }

    private static void requireScalar(Object value, String at) {
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new InvalidSegmentRuleException(at, "needs a text, number or boolean value");
        }
        if (value instanceof String s && s.length() > 1000) {
            throw new InvalidSegmentRuleException(at, "at most 1000 characters");
        }
    }

    private static void requireKey(String key, String at) {
        if (key == null || key.isBlank() || key.length() > 100) {
            throw new InvalidSegmentRuleException(at, "a key of 1–100 characters is required");
        }
    }

    /** Refuses fields that do not belong to the node's type, so a typo does not silently change a segment. */
    private static void onlyFields(SegmentRule rule, String path, String... allowed) {
        Set<String> ok = Set.of(allowed);
        Map<String, Object> present = new java.util.LinkedHashMap<>();
        present.put("children", rule.children());
        present.put("attribute", rule.attribute());
        present.put("operator", rule.operator());
        present.put("value", rule.value());
        present.put("event", rule.event());
        present.put("count", rule.count());
        present.put("withinLastDays", rule.withinLastDays());
        present.put("from", rule.from());
        present.put("to", rule.to());
        present.put("where", rule.where());
        present.put("channel", rule.channel());
        present.put("status", rule.status());
        present.put("segmentId", rule.segmentId());
        for (var entry : present.entrySet()) {
            if (entry.getValue() != null && !ok.contains(entry.getKey())) {
                throw new InvalidSegmentRuleException(path + "." + entry.getKey(),
                                                      "not used by a " + rule.type() + " rule");
            }
        }
    }

    private static List<String> sorted(Set<String> values) {
        List<String> list = new ArrayList<>(values);
        list.sort(null);
        return list;
    }
}
