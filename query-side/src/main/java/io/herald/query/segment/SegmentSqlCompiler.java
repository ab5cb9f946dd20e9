package io.herald.query.segment;

import io.herald.api.common.DomainException;
import io.herald.api.contact.AttributeValues;
import io.herald.api.segment.SegmentRule;
import io.herald.eventstore.database.Json;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compiles a (validated) rule tree into SQL over the read models: a boolean condition on
 * {@code contact c}, plus one grouped sub-select of {@code tracked_event} per behaviour condition,
 * left-joined by contact (so "did not perform" and "at most N" are hash anti-joins, never a
 * sub-query per contact). Every value, attribute key, event name and channel is a bind parameter;
 * the SQL text is made only of fixed fragments and whitelisted column names. Every condition
 * yields true or false, never NULL, so {@code not} means what it says.
 */
final class SegmentSqlCompiler {

    /** An array bind parameter. */
    record SqlArray(String type, Object[] values) {
    }

    /** The compiled tree: {@code with ... select ... from <from> where <where>}, parameters in text order. */
    record Compiled(String with, String from, String where, List<Object> params) {
    }

    private static final Map<String, String> TEXT_FIELDS = Map.of(
            "email", "c.email", "externalId", "c.external_id", "phone", "c.phone", "locale", "c.locale",
            "timeZone", "c.time_zone");
    private static final String DATE_SHAPE = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}'";

    private final Function<String, SegmentRule> segments;
    private final Instant now;
    private final List<String> ctes = new ArrayList<>();
    private final List<Object> cteParams = new ArrayList<>();
    private final List<String> joins = new ArrayList<>();
    private final Deque<String> inlined = new ArrayDeque<>();

    /**
     * @param segments the rules of a stored segment by id (lower case), or null when unknown; used
     *                 to inline membership conditions
     * @param now      the moment relative windows ("last 30 days") count back from
     */
    SegmentSqlCompiler(Function<String, SegmentRule> segments, Instant now) {
        this.segments = segments;
        this.now = now;
    }

    static Compiled compile(SegmentRule rules, Function<String, SegmentRule> segments, Instant now, String selfId) {
        SegmentSqlCompiler compiler = new SegmentSqlCompiler(segments, now);
        if (selfId != null) {
            compiler.inlined.push(selfId.toLowerCase());
        }
        List<Object> whereParams = new ArrayList<>();
        String where = compiler.node(rules, whereParams);
        List<Object> params = new ArrayList<>(compiler.cteParams);
        params.addAll(whereParams);
        String with = compiler.ctes.isEmpty() ? "" : "with " + String.join(", ", compiler.ctes) + " ";
        String from = "contact c" + (compiler.joins.isEmpty() ? "" : " " + String.join(" ", compiler.joins));
        return new Compiled(with, from, where, params);
    }

    /**
     * Property filters over a JSON document given as the last parameter (a flow's event trigger): {@code select
     * <condition> from (select ?::jsonb as props) p}, the same conditions as a behaviour rule's {@code where}.
     */
    static Compiled properties(List<SegmentRule.PropertyFilter> where, Instant now) {
        SegmentSqlCompiler compiler = new SegmentSqlCompiler(id -> null, now);
        List<Object> params = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (SegmentRule.PropertyFilter filter : where) {
            parts.add(compiler.condition("p.props", filter.property(), filter.operator(), filter.value(), params));
        }
        return new Compiled("", "(select ?::jsonb as props) p", parts.isEmpty() ? "true" : String.join(" and ", parts),
                            params);
    }

    private String node(SegmentRule rule, List<Object> params) {
        return switch (rule) {
            case SegmentRule.And and -> group(and.children(), " and ", "true", params);
            case SegmentRule.Or or -> group(or.children(), " or ", "false", params);
            case SegmentRule.Not not -> "(not " + node(not.child(), params) + ")";
            case SegmentRule.Attribute attribute -> condition("c.attributes", attribute.attribute(), attribute.operator(),
                                                              attribute.value(), params);
            case SegmentRule.Field field -> field(field, params);
            case SegmentRule.Behaviour behaviour -> behaviour(behaviour);
            case SegmentRule.Consent consent -> {
                params.add(consent.channel().name());
                params.add(consent.status().name());
                yield "(coalesce(c.consent -> ? ->> 'status', 'SUBSCRIBED') = ?)";
            }
            case SegmentRule.Membership membership -> membership(membership.segmentId().toLowerCase(), params);
            case SegmentRule.EmailEngagement engagement -> engagement(engagement);
        };
    }

    /** The children joined by and/or; a group without children (refused by validation) is its neutral value. */
    private String group(List<SegmentRule> children, String joiner, String empty, List<Object> params) {
        if (children.isEmpty()) {
            return empty;
        }
        List<String> parts = new ArrayList<>();
        for (SegmentRule child : children) {
            parts.add(node(child, params));
        }
        return "(" + String.join(joiner, parts) + ")";
    }

    private String membership(String id, List<Object> params) {
        if (inlined.contains(id)) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "segment.reference.cycle",
                                      "The rules refer to segment " + id + ", which refers back", "rules",
                                      Map.of("segmentId", id));
        }
        SegmentRule target = segments.apply(id);
        if (target == null) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "segment.reference.unknown",
                                      "The rules refer to segment " + id + ", which does not exist", "rules",
                                      Map.of("segmentId", id));
        }
        inlined.push(id);
        try {
            return node(target, params);
        } finally {
            inlined.pop();
        }
    }

    /** An attribute (or event property) condition on a jsonb column; the key is a parameter. */
    String condition(String column, String key, String op, Object value, List<Object> params) {
        return switch (op) {
            case "eq" -> {
                params.add(Json.write(Map.of(key, value)));
                yield "(" + column + " @> ?::jsonb)";
            }
            case "neq" -> {
                params.add(Json.write(Map.of(key, value)));
                yield "(not " + column + " @> ?::jsonb)";
            }
            case "contains" -> {
                params.add(Json.write(Map.of(key, List.of(value))));
                params.add(key);
                params.add(key);
                params.add(value);
                yield "(" + column + " @> ?::jsonb or (case when jsonb_typeof(" + column + " -> ?) = 'string' "
                        + "then strpos(lower(" + column + " ->> ?), lower(?)) > 0 else false end))";
            }
            case "starts_with" -> {
                params.add(key);
                params.add(key);
                params.add(value);
                yield "(case when jsonb_typeof(" + column + " -> ?) = 'string' "
                        + "then starts_with(lower(" + column + " ->> ?), lower(?)) else false end)";
            }
            case "gt", "gte", "lt", "lte" -> {
                // one SQL/JSON path test, passed as a parameter: the key as a quoted path string, the
                // number as a validated decimal. Strict mode compares numbers only (a text, boolean or
                // list value, or a missing key, is no match) and @? never fails on stored data; one
                // evaluation per row is ~20 % cheaper than extracting the value twice (BENCHMARKS.md)
                params.add("strict $." + Json.write(key) + " ? (@ " + comparison(op) + " "
                                   + new BigDecimal(value.toString()).toPlainString() + ")");
                yield "(" + column + " @?? ?::jsonpath)"; // ?? : the JDBC escape of the operator @?
            }
            case "in" -> {
                // one containment per value: each can use the GIN index (a BitmapOr)
                List<?> values = (List<?>) value;
                List<String> parts = new ArrayList<>();
                for (Object item : values) {
                    params.add(Json.write(Map.of(key, item)));
                    parts.add(column + " @> ?::jsonb");
                }
                yield "(" + String.join(" or ", parts) + ")";
            }
            case "exists" -> {
                params.add(key);
                yield Boolean.FALSE.equals(value) ? "(not " + column + " ?? ?)" : "(" + column + " ?? ?)";
            }
            case "before", "after", "within_last" -> dateCondition(column, key, op, value, params);
            default -> throw new IllegalArgumentException("Unknown operator " + op);
        };
    }

    /**
     * Dates are compared as canonical ISO text (see {@link AttributeValues}) in byte order, so no
     * stored value is ever cast (a malformed one simply does not match).
     */
    private String dateCondition(String column, String key, String op, Object value, List<Object> params) {
        String guard = "jsonb_typeof(" + column + " -> ?) = 'string' and (" + column + " ->> ?) ~ " + DATE_SHAPE;
        params.add(key);
        params.add(key);
        params.add(key);
        String text = "(" + column + " ->> ?) collate \"C\"";
        if ("within_last".equals(op)) {
            params.add(AttributeValues.format(now.minus(((Number) value).longValue(), ChronoUnit.DAYS)));
            params.add(key);
            params.add(AttributeValues.format(now));
            return "(case when " + guard + " then " + text + " >= ? and (" + column + " ->> ?) collate \"C\" <= ? "
                    + "else false end)";
        }
        String bound = AttributeValues.canonicalDate((String) value);
        if ("before".equals(op)) {
            params.add(bound);
            return "(case when " + guard + " then " + text + " < ? else false end)";
        }
        if (bound.length() == 10) {
            params.add(LocalDate.parse(bound).plusDays(1).toString());
            return "(case when " + guard + " then " + text + " >= ? else false end)";
        }
        params.add(bound);
        return "(case when " + guard + " then " + text + " > ? else false end)";
    }

    private static String comparison(String op) {
        return switch (op) {
            case "gt" -> ">";
            case "gte" -> ">=";
            case "lt" -> "<";
            case "lte" -> "<=";
            default -> throw new IllegalArgumentException(op);
        };
    }

    private String field(SegmentRule.Field rule, List<Object> params) {
        String op = rule.operator();
        Object value = rule.value();
        if ("createdAt".equals(rule.field())) {
            return switch (op) {
                case "exists" -> Boolean.FALSE.equals(value) ? "false" : "true";
                case "within_last" -> {
                    params.add(OffsetDateTime.ofInstant(now.minus(((Number) value).longValue(), ChronoUnit.DAYS),
                                                        ZoneOffset.UTC));
                    yield "(c.created_at >= ?)";
                }
                default -> {
                    String bound = AttributeValues.canonicalDate((String) value);
                    boolean dateOnly = bound.length() == 10;
                    Instant instant = dateOnly ? LocalDate.parse(bound).atStartOfDay(ZoneOffset.UTC).toInstant()
                                               : Instant.parse(bound);
                    if ("before".equals(op)) {
                        params.add(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
                        yield "(c.created_at < ?)";
                    }
                    if (dateOnly) {
                        params.add(OffsetDateTime.ofInstant(instant.plus(1, ChronoUnit.DAYS), ZoneOffset.UTC));
                        yield "(c.created_at >= ?)";
                    }
                    params.add(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
                    yield "(c.created_at > ?)";
                }
            };
        }
        String column = TEXT_FIELDS.get(rule.field());
        boolean email = "email".equals(rule.field());
        return switch (op) {
            case "eq" -> {
                params.add(email ? ((String) value).strip().toLowerCase(java.util.Locale.ROOT) : value);
                yield "(" + column + " is not null and " + column + " = ?)";
            }
            case "neq" -> {
                params.add(email ? ((String) value).strip().toLowerCase(java.util.Locale.ROOT) : value);
                yield "(" + column + " is distinct from ?)";
            }
            case "contains" -> {
                params.add(value);
                yield "(" + column + " is not null and strpos(lower(" + column + "), lower(?)) > 0)";
            }
            case "starts_with" -> {
                if (email) {
                    params.add(likePrefix(((String) value).toLowerCase(java.util.Locale.ROOT)));
                    yield "(c.email is not null and c.email like ? escape '\\')";
                }
                params.add(value);
                yield "(" + column + " is not null and starts_with(lower(" + column + "), lower(?)))";
            }
            case "in" -> {
                List<?> values = (List<?>) value;
                params.add(new SqlArray("varchar", values.stream()
                        .map(v -> email ? String.valueOf(v).toLowerCase(java.util.Locale.ROOT) : String.valueOf(v))
                        .toArray()));
                yield "(" + column + " is not null and " + column + " = any(?))";
            }
            case "exists" -> Boolean.FALSE.equals(value) ? "(" + column + " is null)" : "(" + column + " is not null)";
            default -> throw new DomainException(DomainException.Kind.INVALID, "segment.rules.invalid",
                                                 "Operator " + op + " does not apply to " + rule.field());
        };
    }

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * "Performed E (with these properties) N times in the window": one grouped sub-select of the
     * tracked events, left-joined by contact; the condition is whether the contact is in it.
     */
    private String behaviour(SegmentRule.Behaviour rule) {
        String name = "b" + (ctes.size() + 1);
        String op = rule.operator() == null ? "at_least" : rule.operator();
        int count = rule.count() == null ? 1 : rule.count();
        if ("exactly".equals(op) && count == 0) {
            op = "not_performed";
        }
        List<String> where = new ArrayList<>();
        where.add("te.event = ?");
        cteParams.add(rule.event().strip());
        where.add("te.contact_id is not null");
        if (rule.withinLastDays() != null) {
            where.add("te.occurred_at >= ?");
            cteParams.add(OffsetDateTime.ofInstant(now.minus(rule.withinLastDays(), ChronoUnit.DAYS), ZoneOffset.UTC));
        }
        if (rule.from() != null) {
            where.add("te.occurred_at >= ?");
            cteParams.add(OffsetDateTime.ofInstant(rule.from(), ZoneOffset.UTC));
        }
        if (rule.to() != null) {
            where.add("te.occurred_at < ?");
            cteParams.add(OffsetDateTime.ofInstant(rule.to(), ZoneOffset.UTC));
        }
        if (rule.where() != null) {
            for (SegmentRule.PropertyFilter filter : rule.where()) {
                where.add(condition("te.properties", filter.property(), filter.operator(), filter.value(), cteParams));
            }
        }
        String having = "";
        boolean member = true;
        switch (op) {
            case "at_least" -> {
                if (count > 1) {
                    having = " having count(*) >= ?";
                    cteParams.add(count);
                }
            }
            case "at_most" -> {
                having = " having count(*) > ?";
                cteParams.add(count);
                member = false;
            }
            case "exactly" -> {
                having = " having count(*) = ?";
                cteParams.add(count);
            }
            case "not_performed" -> member = false;
            default -> throw new IllegalArgumentException(op);
        }
        ctes.add(name + " as (select te.contact_id from tracked_event te where " + String.join(" and ", where)
                         + " group by te.contact_id" + having + ")");
        joins.add("left join " + name + " on " + name + ".contact_id = c.id");
        return "(" + name + ".contact_id is " + (member ? "not null" : "null") + ")";
    }

    /**
     * "Opened (clicked) campaign X / any e-mail in the last N days": one grouped sub-select of the recorded opens or
     * clicks ({@code email_engagement}), left-joined by contact like a behaviour condition, so "did not open" under
     * {@code not} is a hash anti-join too. A campaign's rows are found through the campaign index, any e-mail's in a
     * window through the kind index ({@code V4231}).
     */
    private String engagement(SegmentRule.EmailEngagement rule) {
        String name = "e" + (ctes.size() + 1);
        List<String> where = new ArrayList<>();
        where.add("ee.kind = ?");
        cteParams.add(rule.action().recordedKind());
        if (rule.campaignId() != null) {
            where.add("ee.campaign_id = ?");
            cteParams.add(rule.campaignId().toLowerCase(java.util.Locale.ROOT));
        }
        if (rule.withinLastDays() != null) {
            where.add("ee.occurred_at >= ?");
            cteParams.add(OffsetDateTime.ofInstant(now.minus(rule.withinLastDays(), ChronoUnit.DAYS), ZoneOffset.UTC));
        }
        if (rule.onlyHuman()) {
            where.add("not ee.machine");
        }
        ctes.add(name + " as (select ee.contact_id from email_engagement ee where " + String.join(" and ", where)
                         + " group by ee.contact_id)");
        joins.add("left join " + name + " on " + name + ".contact_id = c.id");
        return "(" + name + ".contact_id is not null)";
    }
}
