package io.herald.api.segment;

import io.herald.api.common.DomainException;
import io.herald.api.contact.AttributeValues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
                                                   "segment", "engagement");
    public static final Set<String> VALUE_OPERATORS = Set.of("eq", "neq", "contains", "starts_with", "gt", "gte", "lt",
                                                             "lte", "in", "exists", "before", "after", "within_last");
    public static final Set<String> FIELDS = Set.of("email", "externalId", "phone", "locale", "timeZone", "createdAt");
    public static final Set<String> BEHAVIOUR_OPERATORS = Set.of("at_least", "at_most", "exactly", "not_performed");
    /**
     * The JSON fields of the kinds of node besides {@code type}; one that a node's kind does not use
     * is refused naming its path ("not used by a ... rule"), a name outside this set is an unknown field.
     */
    public static final Set<String> NODE_FIELDS = Set.of("children", "attribute", "operator", "value", "event", "count",
                                                         "withinLastDays", "from", "to", "where", "channel", "status",
                                                         "segmentId", "action", "campaignId", "humanOnly");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final String DATE_FIELD = "createdAt";
    private static final Set<String> DATE_OPERATORS = Set.of("before", "after", "within_last");
    private static final Set<String> DATE_FIELD_OPERATORS = Set.of("before", "after", "within_last", "exists");

    private SegmentRules() {
    }

    /** Checks the tree; throws {@link InvalidSegmentRuleException} naming the first bad node. */
    public static void validate(SegmentRule root, String rootPath) {
        int[] nodes = {0};
        check(root, rootPath, 1, nodes);
    }

    /** The error for a node whose {@code type} is missing or none of {@link #TYPES}, at the node's path. */
    public static InvalidSegmentRuleException unknownType(String nodePath) {
        return new InvalidSegmentRuleException(nodePath + ".type", "type must be one of " + sorted(TYPES));
    }

    /** The error for an engagement node's {@code action} that is missing or none of {@link EngagementAction}'s. */
    public static InvalidSegmentRuleException unknownAction(String fieldPath) {
        return new InvalidSegmentRuleException(fieldPath, "action is required, one of "
                + Arrays.stream(EngagementAction.values()).map(EngagementAction::json).toList());
    }

    /** The error for a field of {@link #NODE_FIELDS} sent on a node of a kind that does not use it. */
    public static InvalidSegmentRuleException notUsed(String fieldPath, String type) {
        return new InvalidSegmentRuleException(fieldPath, "not used by a " + type + " rule");
    }

    /** The code of the error for an engagement node naming a campaign that does not exist (HTTP 422). */
    public static final String UNKNOWN_CAMPAIGN = "segment.campaign.unknown";

    /** The error for an engagement node naming a campaign that does not exist, at the node's {@code campaignId}. */
    public static DomainException unknownCampaign(String campaignId, String fieldPath) {
        return new DomainException(DomainException.Kind.UNPROCESSABLE, UNKNOWN_CAMPAIGN,
                                   fieldPath + ": the rules refer to campaign " + campaignId + ", which does not exist",
                                   fieldPath, Map.of("campaignId", campaignId));
    }

    /** Ids of the segments the tree refers to (membership nodes). */
    public static Set<String> referencedSegments(SegmentRule root) {
        Set<String> ids = new LinkedHashSet<>();
        collect(root, ids);
        return ids;
    }

    /**
     * The campaigns the tree refers to (engagement nodes), lower case, each with the path of the first node that
     * names it ({@code rules.children[1].campaignId}), for the unknown-campaign check.
     */
    public static Map<String, String> referencedCampaigns(SegmentRule root, String rootPath) {
        Map<String, String> ids = new LinkedHashMap<>();
        collectCampaigns(root, rootPath, ids);
        return ids;
    }

    private static void collectCampaigns(SegmentRule rule, String path, Map<String, String> ids) {
        switch (rule) {
            case null -> {
            }
            case SegmentRule.EmailEngagement engagement when engagement.campaignId() != null ->
                    ids.putIfAbsent(engagement.campaignId().toLowerCase(), path + ".campaignId");
            case SegmentRule.Group group when group.children() != null -> {
                for (int i = 0; i < group.children().size(); i++) {
                    collectCampaigns(group.children().get(i), path + ".children[" + i + "]", ids);
                }
            }
            default -> {
            }
        }
    }

    private static void collect(SegmentRule rule, Set<String> ids) {
        switch (rule) {
            case null -> {
            }
            case SegmentRule.Membership membership when membership.segmentId() != null ->
                    ids.add(membership.segmentId().toLowerCase());
            case SegmentRule.Group group when group.children() != null -> group.children().forEach(c -> collect(c, ids));
            default -> {
            }
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
        switch (rule) {
            case SegmentRule.Group group -> {
                List<SegmentRule> children = group.children();
                if (children == null || children.isEmpty()) {
                    throw new InvalidSegmentRuleException(path + ".children", group.type() + " needs children");
                }
                if (group instanceof SegmentRule.Not && children.size() != 1) {
                    throw new InvalidSegmentRuleException(path + ".children", "not takes exactly one child");
                }
                if (children.size() > 100) {
                    throw new InvalidSegmentRuleException(path + ".children", "at most 100 children");
                }
                for (int i = 0; i < children.size(); i++) {
                    check(children.get(i), path + ".children[" + i + "]", depth + 1, nodes);
                }
            }
            case SegmentRule.Attribute attribute -> {
                requireKey(attribute.attribute(), path + ".attribute");
                checkCondition(attribute.operator(), attribute.value(), path, false);
            }
            case SegmentRule.Field field -> checkField(field, path);
            case SegmentRule.Behaviour behaviour -> checkBehaviour(behaviour, path);
            case SegmentRule.Consent consent -> {
                if (consent.channel() == null) {
                    throw new InvalidSegmentRuleException(path + ".channel", "channel is required");
                }
                if (consent.status() == null) {
                    throw new InvalidSegmentRuleException(path + ".status", "status is required");
                }
            }
            case SegmentRule.Membership membership -> {
                if (membership.segmentId() == null || !UUID_TEXT.matcher(membership.segmentId()).matches()) {
                    throw new InvalidSegmentRuleException(path + ".segmentId", "segmentId must be a segment's id");
                }
            }
            case SegmentRule.EmailEngagement engagement -> checkEngagement(engagement, path);
        }
    }

    private static void checkEngagement(SegmentRule.EmailEngagement rule, String path) {
        if (rule.action() == null) {
            throw unknownAction(path + ".action");
        }
        if (rule.campaignId() != null && !UUID_TEXT.matcher(rule.campaignId()).matches()) {
            throw new InvalidSegmentRuleException(path + ".campaignId",
                                                  "campaignId must be a campaign's id (or absent for any e-mail)");
        }
        if (rule.withinLastDays() != null && (rule.withinLastDays() < 1 || rule.withinLastDays() > MAX_DAYS)) {
            throw new InvalidSegmentRuleException(path + ".withinLastDays", "withinLastDays must be 1–" + MAX_DAYS
                    + " (or absent for ever)");
        }
    }

    /**
     * A profile field: the text fields take the text operators and exists (with a text value, or
     * true/false for exists), createdAt takes the date operators and exists.
     */
    private static void checkField(SegmentRule.Field field, String path) {
        if (field.field() == null || !FIELDS.contains(field.field())) {
            throw new InvalidSegmentRuleException(path + ".attribute", "field must be one of " + sorted(FIELDS));
        }
        boolean date = DATE_FIELD.equals(field.field());
        String op = field.operator();
        if (op != null && (date ? !DATE_FIELD_OPERATORS.contains(op) : DATE_OPERATORS.contains(op))) {
            throw new InvalidSegmentRuleException(path + ".operator", date
                    ? "createdAt takes before, after or within_last"
                    : "a text field takes eq, neq, contains, starts_with, in or exists");
        }
        if (op != null && !date && Set.of("gt", "gte", "lt", "lte").contains(op)) {
            throw new InvalidSegmentRuleException(path + ".operator", "a text field is not compared by size");
        }
        checkCondition(op, field.value(), path, false);
        Object value = field.value();
        if (!date && !"exists".equals(op) && value != null && !(value instanceof String) && !(value instanceof List)) {
            throw new InvalidSegmentRuleException(path + ".value", "a text field compares with text");
        }
    }

    private static void checkBehaviour(SegmentRule.Behaviour rule, String path) {
        if (rule.event() == null || rule.event().isBlank() || rule.event().length() > 200) {
            throw new InvalidSegmentRuleException(path + ".event", "event is required (at most 200 characters)");
        }
        requireNoNul(rule.event(), path + ".event");
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
                requireNoNul(s, at);
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
        if (value instanceof String s) {
            requireNoNul(s, at);
        }
    }

    private static void requireKey(String key, String at) {
        if (key == null || key.isBlank() || key.length() > 100) {
            throw new InvalidSegmentRuleException(at, "a key of 1–100 characters is required");
        }
        requireNoNul(key, at);
    }

    /** PostgreSQL's text and jsonb cannot hold U+0000, so no stored value has it and no condition may. */
    private static void requireNoNul(String text, String at) {
        if (text.indexOf('\0') >= 0) {
            throw new InvalidSegmentRuleException(at, "text cannot contain the NUL character (U+0000)");
        }
    }

    private static List<String> sorted(Set<String> values) {
        List<String> list = new ArrayList<>(values);
        list.sort(null);
        return list;
    }
}
