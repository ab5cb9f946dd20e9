package io.herald.query.segment;

import io.herald.api.campaign.Channel;
import io.herald.api.common.DomainException;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.segment.EngagementAction;
import io.herald.api.segment.SegmentRule;
import io.herald.api.segment.SegmentRule.PropertyFilter;
import io.herald.eventstore.database.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SQL each kind of node compiles to, with its bind parameters. The statements themselves run
 * against PostgreSQL in the gateway's SegmentApiIT (through the preview and members endpoints).
 */
class SegmentSqlCompilerTest {

    private static final Instant NOW = Instant.parse("2026-05-01T08:00:00Z");
    private static final String GUARD = "jsonb_typeof(c.attributes -> ?) = 'string' and (c.attributes ->> ?) ~ "
            + "'^[0-9]{4}-[0-9]{2}-[0-9]{2}'";

    private static SegmentSqlCompiler.Compiled compile(SegmentRule rule) {
        return SegmentSqlCompiler.compile(rule, id -> null, NOW, null);
    }

    private static void assertCompiles(SegmentRule rule, String where, Object... params) {
        SegmentSqlCompiler.Compiled compiled = compile(rule);
        assertThat(compiled.with()).isEmpty();
        assertThat(compiled.from()).isEqualTo("contact c");
        assertThat(compiled.where()).isEqualTo(where);
        assertThat(compiled.params()).containsExactly(params);
    }

    private static OffsetDateTime utc(String instant) {
        return OffsetDateTime.ofInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    // attributes: a jsonb column, the key always a parameter

    @Test
    void attribute_eqAndNeq_areContainmentOfAOneKeyDocument() {
        assertCompiles(SegmentRule.attribute("plan", "eq", "pro"), "(c.attributes @> ?::jsonb)", "{\"plan\":\"pro\"}");
        assertCompiles(SegmentRule.attribute("age", "eq", 42), "(c.attributes @> ?::jsonb)", "{\"age\":42}");
        assertCompiles(SegmentRule.attribute("vip", "neq", true), "(not c.attributes @> ?::jsonb)", "{\"vip\":true}");
    }

    @Test
    void attribute_contains_matchesAListElementOrPartOfAText() {
        assertCompiles(SegmentRule.attribute("tags", "contains", "vip"),
                       "(c.attributes @> ?::jsonb or (case when jsonb_typeof(c.attributes -> ?) = 'string' "
                               + "then strpos(lower(c.attributes ->> ?), lower(?)) > 0 else false end))",
                       "{\"tags\":[\"vip\"]}", "tags", "tags", "vip");
    }

    @Test
    void attribute_startsWith_onTextOnly() {
        assertCompiles(SegmentRule.attribute("plan", "starts_with", "Pro"),
                       "(case when jsonb_typeof(c.attributes -> ?) = 'string' "
                               + "then starts_with(lower(c.attributes ->> ?), lower(?)) else false end)",
                       "plan", "plan", "Pro");
    }

    @Test
    void attribute_comparisons_areOneJsonPathTestWithTheKeyQuotedAndTheNumberCanonical() {
        assertCompiles(SegmentRule.attribute("age", "gt", 30), "(c.attributes @?? ?::jsonpath)", "strict $.\"age\" ? (@ > 30)");
        assertCompiles(SegmentRule.attribute("age", "gte", 30.5), "(c.attributes @?? ?::jsonpath)",
                       "strict $.\"age\" ? (@ >= 30.5)");
        assertCompiles(SegmentRule.attribute("age", "lt", 1e3), "(c.attributes @?? ?::jsonpath)",
                       "strict $.\"age\" ? (@ < 1000.0)");
        assertCompiles(SegmentRule.attribute("age", "lte", -0.5), "(c.attributes @?? ?::jsonpath)",
                       "strict $.\"age\" ? (@ <= -0.5)");
        assertCompiles(SegmentRule.attribute("we\"ird key", "gt", 1), "(c.attributes @?? ?::jsonpath)",
                       "strict $.\"we\\\"ird key\" ? (@ > 1)");
    }

    @Test
    void attribute_in_isOneContainmentPerValue() {
        assertCompiles(SegmentRule.attribute("age", "in", List.of(17, 42, "x")),
                       "(c.attributes @> ?::jsonb or c.attributes @> ?::jsonb or c.attributes @> ?::jsonb)",
                       "{\"age\":17}", "{\"age\":42}", "{\"age\":\"x\"}");
    }

    @Test
    void attribute_exists_withoutValueOrTrue_andFalseForMissing() {
        assertCompiles(SegmentRule.attribute("name", "exists", null), "(c.attributes ?? ?)", "name");
        assertCompiles(SegmentRule.attribute("name", "exists", true), "(c.attributes ?? ?)", "name");
        assertCompiles(SegmentRule.attribute("name", "exists", false), "(not c.attributes ?? ?)", "name");
    }

    @Test
    void attribute_dates_compareCanonicalTextInByteOrder() {
        String text = "(c.attributes ->> ?) collate \"C\"";
        assertCompiles(SegmentRule.attribute("signup", "before", "2024-06-01"),
                       "(case when " + GUARD + " then " + text + " < ? else false end)",
                       "signup", "signup", "signup", "2024-06-01");
        // after a day: from the next day on
        assertCompiles(SegmentRule.attribute("signup", "after", "2024-05-01"),
                       "(case when " + GUARD + " then " + text + " >= ? else false end)",
                       "signup", "signup", "signup", "2024-05-02");
        assertCompiles(SegmentRule.attribute("signup", "after", "2024-06-15T13:00:00+02:00"),
                       "(case when " + GUARD + " then " + text + " > ? else false end)",
                       "signup", "signup", "signup", "2024-06-15T11:00:00.000Z");
        assertCompiles(SegmentRule.attribute("seen", "within_last", 7),
                       "(case when " + GUARD + " then " + text + " >= ? and (c.attributes ->> ?) collate \"C\" <= ? "
                               + "else false end)",
                       "seen", "seen", "seen", "2026-04-24T08:00:00.000Z", "seen", "2026-05-01T08:00:00.000Z");
    }

    // profile fields: whitelisted columns

    static Stream<String> textFields() {
        return Stream.of("email", "externalId", "phone", "locale", "timeZone");
    }

    private static String column(String field) {
        return Map.of("email", "c.email", "externalId", "c.external_id", "phone", "c.phone", "locale", "c.locale",
                      "timeZone", "c.time_zone").get(field);
    }

    @ParameterizedTest
    @MethodSource("textFields")
    void field_text_exists_andFalseForMissing(String field) {
        String column = column(field);
        assertCompiles(SegmentRule.field(field, "exists", null), "(" + column + " is not null)");
        assertCompiles(SegmentRule.field(field, "exists", true), "(" + column + " is not null)");
        assertCompiles(SegmentRule.field(field, "exists", false), "(" + column + " is null)");
    }

    @ParameterizedTest
    @MethodSource("textFields")
    void field_text_comparisons(String field) {
        String column = column(field);
        boolean email = "email".equals(field);
        assertCompiles(SegmentRule.field(field, "eq", " Ada@Example.com"),
                       "(" + column + " is not null and " + column + " = ?)", email ? "ada@example.com" : " Ada@Example.com");
        assertCompiles(SegmentRule.field(field, "neq", "X"), "(" + column + " is distinct from ?)", email ? "x" : "X");
        assertCompiles(SegmentRule.field(field, "contains", "Ex"),
                       "(" + column + " is not null and strpos(lower(" + column + "), lower(?)) > 0)", "Ex");
        SegmentSqlCompiler.Compiled in = compile(SegmentRule.field(field, "in", List.of("A", "b")));
        assertThat(in.where()).isEqualTo("(" + column + " is not null and " + column + " = any(?))");
        assertThat(in.params()).singleElement().isInstanceOfSatisfying(SegmentSqlCompiler.SqlArray.class, array -> {
            assertThat(array.type()).isEqualTo("varchar");
            assertThat(array.values()).containsExactly(email ? "a" : "A", "b");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"externalId", "phone", "locale", "timeZone"})
    void field_text_startsWith(String field) {
        String column = column(field);
        assertCompiles(SegmentRule.field(field, "starts_with", "Ab"),
                       "(" + column + " is not null and starts_with(lower(" + column + "), lower(?)))", "Ab");
    }

    @Test
    void field_email_startsWith_isAnIndexablePrefixWithLikeWildcardsEscaped() {
        assertCompiles(SegmentRule.field("email", "starts_with", "A_b%c\\"),
                       "(c.email is not null and c.email like ? escape '\\')", "a\\_b\\%c\\\\%");
    }

    @Test
    void field_text_takesNoDateOrSizeOperator() {
        for (String op : List.of("gt", "before", "within_last")) {
            assertThatThrownBy(() -> compile(SegmentRule.field("email", op, "x")))
                    .isInstanceOfSatisfying(DomainException.class,
                                            e -> assertThat(e.code()).isEqualTo("segment.rules.invalid"));
        }
    }

    @Test
    void field_createdAt_dates() {
        assertCompiles(SegmentRule.field("createdAt", "before", "2024-06-01"), "(c.created_at < ?)",
                       utc("2024-06-01T00:00:00Z"));
        assertCompiles(SegmentRule.field("createdAt", "after", "2024-06-01"), "(c.created_at >= ?)",
                       utc("2024-06-02T00:00:00Z"));
        assertCompiles(SegmentRule.field("createdAt", "after", "2024-06-01T10:00:00+02:00"), "(c.created_at > ?)",
                       utc("2024-06-01T08:00:00Z"));
        assertCompiles(SegmentRule.field("createdAt", "before", "2024-06-01T10:00:00Z"), "(c.created_at < ?)",
                       utc("2024-06-01T10:00:00Z"));
        assertCompiles(SegmentRule.field("createdAt", "within_last", 30), "(c.created_at >= ?)",
                       utc("2026-04-01T08:00:00Z"));
        assertCompiles(SegmentRule.field("createdAt", "exists", null), "true");
        assertCompiles(SegmentRule.field("createdAt", "exists", false), "false");
    }

    // behaviour: one grouped sub-select of tracked events per condition, left-joined by contact

    private static String cte(String name, String conditions, String having) {
        return name + " as (select te.contact_id from tracked_event te where te.event = ? and te.contact_id is not null"
                + conditions + " group by te.contact_id" + having + ")";
    }

    private static void assertBehaviour(SegmentRule rule, String conditions, String having, boolean member,
                                        Object... params) {
        SegmentSqlCompiler.Compiled compiled = compile(rule);
        assertThat(compiled.with()).isEqualTo("with " + cte("b1", conditions, having) + " ");
        assertThat(compiled.from()).isEqualTo("contact c left join b1 on b1.contact_id = c.id");
        assertThat(compiled.where()).isEqualTo("(b1.contact_id is " + (member ? "not null" : "null") + ")");
        assertThat(compiled.params()).containsExactly(params);
    }

    @Test
    void behaviour_operators() {
        assertBehaviour(SegmentRule.behaviour(" Purchase ", null, null, null, null), "", "", true, "Purchase");
        assertBehaviour(SegmentRule.behaviour("Purchase", "at_least", 1, null, null), "", "", true, "Purchase");
        assertBehaviour(SegmentRule.behaviour("Purchase", "at_least", 2, null, null), "", " having count(*) >= ?", true,
                        "Purchase", 2);
        // at most N: not among those who did it more than N times
        assertBehaviour(SegmentRule.behaviour("Purchase", "at_most", 1, null, null), "", " having count(*) > ?", false,
                        "Purchase", 1);
        assertBehaviour(SegmentRule.behaviour("Purchase", "exactly", 3, null, null), "", " having count(*) = ?", true,
                        "Purchase", 3);
        assertBehaviour(SegmentRule.behaviour("Purchase", "exactly", 0, null, null), "", "", false, "Purchase");
        assertBehaviour(SegmentRule.behaviour("Purchase", "not_performed", null, null, null), "", "", false, "Purchase");
    }

    @Test
    void behaviour_windows() {
        assertBehaviour(SegmentRule.behaviour("Purchase", "at_least", 2, 7, null), " and te.occurred_at >= ?",
                        " having count(*) >= ?", true, "Purchase", utc("2026-04-24T08:00:00Z"), 2);
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        Instant to = Instant.parse("2026-02-01T00:00:00Z");
        assertBehaviour(new SegmentRule.Behaviour("Purchase", null, null, null, from, to, null),
                        " and te.occurred_at >= ? and te.occurred_at < ?", "", true, "Purchase",
                        utc("2026-01-01T00:00:00Z"), utc("2026-02-01T00:00:00Z"));
        assertBehaviour(new SegmentRule.Behaviour("Purchase", null, null, null, from, null, null),
                        " and te.occurred_at >= ?", "", true, "Purchase", utc("2026-01-01T00:00:00Z"));
        assertBehaviour(new SegmentRule.Behaviour("Purchase", "not_performed", null, null, null, to, null),
                        " and te.occurred_at < ?", "", false, "Purchase", utc("2026-02-01T00:00:00Z"));
    }

    @Test
    void behaviour_whereConditions_areAttributeConditionsOnTheEventsProperties() {
        SegmentRule rule = SegmentRule.behaviour("Purchase", "at_least", 2, 30, List.of(
                new PropertyFilter("amount", "gt", 100),
                new PropertyFilter("currency", "in", List.of("EUR", "USD")),
                new PropertyFilter("coupon", "exists", false)));
        assertBehaviour(rule, " and te.occurred_at >= ? and (te.properties @?? ?::jsonpath)"
                                + " and (te.properties @> ?::jsonb or te.properties @> ?::jsonb)"
                                + " and (not te.properties ?? ?)",
                        " having count(*) >= ?", true,
                        "Purchase", utc("2026-04-01T08:00:00Z"), "strict $.\"amount\" ? (@ > 100)",
                        "{\"currency\":\"EUR\"}", "{\"currency\":\"USD\"}", "coupon", 2);
    }

    @Test
    void behaviour_underOrAndNot_eachHasItsOwnSubSelect_andItsParametersComeFirst() {
        SegmentRule rule = SegmentRule.or(SegmentRule.attribute("plan", "eq", "free"),
                                          SegmentRule.not(SegmentRule.behaviour("Open", null, null, 3, null)),
                                          SegmentRule.behaviour("Click", "at_most", 2, null, null));
        SegmentSqlCompiler.Compiled compiled = compile(rule);
        assertThat(compiled.with()).isEqualTo("with " + cte("b1", " and te.occurred_at >= ?", "") + ", "
                                                      + cte("b2", "", " having count(*) > ?") + " ");
        assertThat(compiled.from()).isEqualTo("contact c left join b1 on b1.contact_id = c.id "
                                                      + "left join b2 on b2.contact_id = c.id");
        assertThat(compiled.where()).isEqualTo("((c.attributes @> ?::jsonb) or (not (b1.contact_id is not null)) "
                                                       + "or (b2.contact_id is null))");
        assertThat(compiled.params()).containsExactly("Open", utc("2026-04-28T08:00:00Z"), "Click", 2,
                                                      "{\"plan\":\"free\"}");
    }

    // engagement: one grouped sub-select of the recorded opens or clicks per condition, left-joined by contact

    private static void assertEngagement(SegmentRule rule, String conditions, Object... params) {
        SegmentSqlCompiler.Compiled compiled = compile(rule);
        assertThat(compiled.with()).isEqualTo("with e1 as (select ee.contact_id from email_engagement ee where "
                                                      + "ee.kind = ?" + conditions + " group by ee.contact_id) ");
        assertThat(compiled.from()).isEqualTo("contact c left join e1 on e1.contact_id = c.id");
        assertThat(compiled.where()).isEqualTo("(e1.contact_id is not null)");
        assertThat(compiled.params()).containsExactly(params);
    }

    @Test
    void engagement_actions_anyEmailEver_countMachineTraffic() {
        assertEngagement(SegmentRule.engagement(EngagementAction.OPENED, null, null, null), "", "OPEN");
        assertEngagement(SegmentRule.engagement(EngagementAction.CLICKED, null, null, false), "", "CLICK");
    }

    @Test
    void engagement_campaign_isLowerCased_window_countsBackFromNow_humanOnly_dropsMachineRows() {
        String campaign = "6F1C1A4E-8A55-4B8E-9D57-0D3F5F0F4C22";
        assertEngagement(SegmentRule.engagement(EngagementAction.OPENED, campaign, null, null),
                         " and ee.campaign_id = ?", "OPEN", campaign.toLowerCase());
        assertEngagement(SegmentRule.engagement(EngagementAction.CLICKED, null, 30, null),
                         " and ee.occurred_at >= ?", "CLICK", utc("2026-04-01T08:00:00Z"));
        assertEngagement(SegmentRule.engagement(EngagementAction.OPENED, null, null, true), " and not ee.machine",
                         "OPEN");
        assertEngagement(SegmentRule.engagement(EngagementAction.CLICKED, campaign, 1, true),
                         " and ee.campaign_id = ? and ee.occurred_at >= ? and not ee.machine", "CLICK",
                         campaign.toLowerCase(), utc("2026-04-30T08:00:00Z"));
    }

    @Test
    void engagement_negated_isTheSameSubSelectUnderNot_andEachNodeHasItsOwn() {
        SegmentRule rule = SegmentRule.and(
                SegmentRule.engagement(EngagementAction.OPENED, null, 90, null),
                SegmentRule.not(SegmentRule.engagement(EngagementAction.CLICKED, null, 90, true)),
                SegmentRule.behaviour("Purchase", null, null, null, null));
        SegmentSqlCompiler.Compiled compiled = compile(rule);
        assertThat(compiled.with()).isEqualTo(
                "with e1 as (select ee.contact_id from email_engagement ee where ee.kind = ? and ee.occurred_at >= ? "
                        + "group by ee.contact_id), "
                        + "e2 as (select ee.contact_id from email_engagement ee where ee.kind = ? and ee.occurred_at >= ? "
                        + "and not ee.machine group by ee.contact_id), " + cte("b3", "", "") + " ");
        assertThat(compiled.from()).isEqualTo("contact c left join e1 on e1.contact_id = c.id "
                                                      + "left join e2 on e2.contact_id = c.id "
                                                      + "left join b3 on b3.contact_id = c.id");
        assertThat(compiled.where()).isEqualTo("((e1.contact_id is not null) and (not (e2.contact_id is not null)) "
                                                       + "and (b3.contact_id is not null))");
        assertThat(compiled.params()).containsExactly("OPEN", utc("2026-01-31T08:00:00Z"), "CLICK",
                                                      utc("2026-01-31T08:00:00Z"), "Purchase");
    }

    // consent, membership, groups

    @Test
    void consent_noRecordCountsAsSubscribed() {
        assertCompiles(SegmentRule.consent(Channel.SMS, ConsentStatus.UNSUBSCRIBED),
                       "(coalesce(c.consent -> ? ->> 'status', 'SUBSCRIBED') = ?)", "SMS", "UNSUBSCRIBED");
    }

    @Test
    void membership_inlinesTheOtherSegmentsRules() {
        String pros = "6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c22";
        Function<String, SegmentRule> stored = id -> pros.equals(id) ? SegmentRule.attribute("plan", "eq", "pro") : null;
        SegmentSqlCompiler.Compiled compiled = SegmentSqlCompiler.compile(
                SegmentRule.and(SegmentRule.memberOf(pros.toUpperCase()), SegmentRule.attribute("vip", "exists", null)),
                stored, NOW, null);
        assertThat(compiled.where()).isEqualTo("((c.attributes @> ?::jsonb) and (c.attributes ?? ?))");
        assertThat(compiled.params()).containsExactly("{\"plan\":\"pro\"}", "vip");
    }

    @Test
    void membership_ofAnUnknownSegment_orClosingACycle_isRefused() {
        String a = "00000000-0000-4000-8000-00000000000a";
        String b = "00000000-0000-4000-8000-00000000000b";
        Map<String, SegmentRule> stored = Map.of(a, SegmentRule.memberOf(b), b, SegmentRule.not(SegmentRule.memberOf(a)));
        assertThatThrownBy(() -> SegmentSqlCompiler.compile(SegmentRule.memberOf(b), id -> null, NOW, null))
                .isInstanceOfSatisfying(DomainException.class,
                                        e -> assertThat(e.code()).isEqualTo("segment.reference.unknown"));
        assertThatThrownBy(() -> SegmentSqlCompiler.compile(SegmentRule.memberOf(a), stored::get, NOW, null))
                .isInstanceOfSatisfying(DomainException.class,
                                        e -> assertThat(e.code()).isEqualTo("segment.reference.cycle"));
        // a stored segment's own rules referring to it
        assertThatThrownBy(() -> SegmentSqlCompiler.compile(SegmentRule.memberOf(b), stored::get, NOW, a))
                .isInstanceOfSatisfying(DomainException.class,
                                        e -> assertThat(e.code()).isEqualTo("segment.reference.cycle"));
        // the same segment twice side by side is no cycle
        Map<String, SegmentRule> plain = Map.of(a, SegmentRule.attribute("x", "exists", null));
        assertThat(SegmentSqlCompiler.compile(SegmentRule.or(SegmentRule.memberOf(a), SegmentRule.memberOf(a)),
                                              plain::get, NOW, null).where())
                .isEqualTo("((c.attributes ?? ?) or (c.attributes ?? ?))");
    }

    @Test
    void nestedGroups_keepTheirParenthesesAndParametersInTextOrder() {
        SegmentRule rule = SegmentRule.and(
                SegmentRule.or(SegmentRule.attribute("a", "eq", 1), SegmentRule.attribute("b", "eq", 2)),
                SegmentRule.not(SegmentRule.and(SegmentRule.attribute("c", "exists", null),
                                                SegmentRule.not(SegmentRule.field("email", "exists", null)))),
                SegmentRule.consent(Channel.EMAIL, ConsentStatus.SUBSCRIBED));
        assertCompiles(rule, "(((c.attributes @> ?::jsonb) or (c.attributes @> ?::jsonb)) and "
                               + "(not ((c.attributes ?? ?) and (not (c.email is not null)))) and "
                               + "(coalesce(c.consent -> ? ->> 'status', 'SUBSCRIBED') = ?))",
                       "{\"a\":1}", "{\"b\":2}", "c", "EMAIL", "SUBSCRIBED");
    }

    @Test
    void emptyGroups_compileToTheirNeutralValue() {
        // validation refuses them; compiled anyway they are valid SQL: every child of none holds, none of none does
        assertCompiles(new SegmentRule.And(List.of()), "true");
        assertCompiles(new SegmentRule.Or(List.of()), "false");
        assertCompiles(SegmentRule.not(new SegmentRule.And(List.of())), "(not true)");
        assertCompiles(SegmentRule.and(new SegmentRule.Or(List.of()), SegmentRule.attribute("a", "exists", null)),
                       "(false and (c.attributes ?? ?))", "a");
    }

    // hostile keys and values never reach the SQL text

    static Stream<String> hostile() {
        return Stream.of("'; drop table contact; --", "it's", "a\"b", "x' or '1'='1", "--", ";", "?", "??", "$1",
                         "\\", "\\'", ") or (true", "*/ select /*", "%_", "ünïcödé ✓ 🎉 \u202e", "\u0000", "k".repeat(100),
                         "'".repeat(1000), "{\"a\":1}", "$.a ? (@ > 0) || true", "strict $.\"x\"");
    }

    /** A rule using the text everywhere a rule takes text: keys, values, event names, property names. */
    private static SegmentRule everywhere(String text) {
        List<SegmentRule> nodes = new ArrayList<>();
        for (String op : List.of("eq", "neq", "contains", "starts_with", "exists")) {
            nodes.add(SegmentRule.attribute(text, op, "exists".equals(op) ? null : text));
        }
        nodes.add(SegmentRule.attribute(text, "gt", 5));
        nodes.add(SegmentRule.attribute(text, "in", List.of(text, text + "2")));
        nodes.add(SegmentRule.attribute(text, "before", "2024-01-01"));
        nodes.add(SegmentRule.attribute(text, "within_last", 3));
        for (String field : List.of("email", "externalId", "phone", "locale", "timeZone")) {
            for (String op : List.of("eq", "neq", "contains", "starts_with")) {
                nodes.add(SegmentRule.field(field, op, text));
            }
            nodes.add(SegmentRule.field(field, "in", List.of(text)));
        }
        nodes.add(SegmentRule.behaviour(text, "at_least", 2, 7, List.of(
                new PropertyFilter(text, "eq", text), new PropertyFilter(text, "starts_with", text),
                new PropertyFilter(text, "lte", 1), new PropertyFilter(text, "exists", false))));
        // validation takes only a UUID here; compiled as it is, it is still a parameter
        nodes.add(SegmentRule.engagement(EngagementAction.CLICKED, text, 7, true));
        return SegmentRule.or(nodes.toArray(SegmentRule[]::new));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileKeysAndValues_areBoundAsParameters_andTheSqlIsTheSameAsForPlainOnes(String text) {
        SegmentSqlCompiler.Compiled plain = compile(everywhere("plain"));
        SegmentSqlCompiler.Compiled compiled = compile(everywhere(text));
        String sql = compiled.with() + compiled.from() + " where " + compiled.where();
        String plainSql = plain.with() + plain.from() + " where " + plain.where();
        assertThat(sql).isEqualTo(plainSql);
        if (!plainSql.contains(text)) { // "?", "??", "\\" are fragments of the fixed text
            assertThat(sql).doesNotContain(text);
        }
        assertThat(compiled.params()).hasSameSizeAs(plain.params());

        List<String> carried = new ArrayList<>();
        for (Object param : compiled.params()) {
            if (param instanceof SegmentSqlCompiler.SqlArray array) {
                Arrays.stream(array.values()).map(String::valueOf).forEach(carried::add);
            } else if (param instanceof String s && s.startsWith("{")) {
                Json.map(s).forEach((key, value) -> {
                    carried.add(key);
                    carried.add(String.valueOf(value));
                });
            } else {
                carried.add(String.valueOf(param));
            }
        }
        assertThat(carried).contains(text);
        // the jsonpath of a comparison quotes the key as a JSON string
        assertThat(compiled.params()).contains("strict $." + Json.write(text) + " ? (@ > 5)");
    }
}
