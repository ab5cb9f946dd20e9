package io.herald.gateway.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.campaign.Channel;
import io.herald.api.segment.FindSegmentAudienceQuery;
import io.herald.api.segment.SegmentAudienceView;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SegmentApiIT extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    QueryGateway queryGateway;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
    }

    /** Three contacts in a cohort of their own (other tests share the database). */
    private record Cohort(String tag, String a, String b, String c) {
        String rule(String condition) {
            return "{\"type\":\"and\",\"children\":[{\"type\":\"attribute\",\"attribute\":\"cohort\",\"operator\":\"eq\",\"value\":\""
                    + tag + "\"}," + condition + "]}";
        }
    }

    private Cohort cohort() {
        String tag = "c-" + UUID.randomUUID().toString().substring(0, 8);
        String recent = Instant.now().minus(2, ChronoUnit.DAYS).toString();
        String a = contact(tag, "\"plan\":\"pro\",\"age\":42,\"tags\":[\"vip\",\"beta\"],\"signup\":\"2024-05-01\",\"seen\":\"" + recent + "\"");
        String b = contact(tag, "\"plan\":\"free\",\"age\":17,\"tags\":[\"beta\"],\"signup\":\"2024-06-15T12:00:00Z\",\"name\":\"Bobby\"");
        String c = contact(tag, "\"plan\":\"Professional\",\"age\":30.5");
        return new Cohort(tag, a, b, c);
    }

    private String contact(String tag, String attributes) {
        String externalId = tag + "-" + UUID.randomUUID().toString().substring(0, 6);
        Response created = api.post("/api/contacts", "{\"externalId\":\"%s\",\"email\":\"%s@example.com\",\"attributes\":{\"cohort\":\"%s\",%s}}"
                .formatted(externalId, externalId, tag, attributes));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private List<String> preview(String rules) {
        Response response = api.post("/api/segments/preview", "{\"rules\":" + rules + "}");
        assertThat(response.status()).as(rules + " -> " + response).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().get("sample").forEach(c -> ids.add(c.get("id").asText()));
        assertThat(response.json().get("count").asLong()).as(rules).isEqualTo(ids.size());
        return ids;
    }

    private static String attr(String key, String op, String value) {
        return "{\"type\":\"attribute\",\"attribute\":\"" + key + "\",\"operator\":\"" + op + "\""
                + (value == null ? "" : ",\"value\":" + value) + "}";
    }

    @Test
    void numericComparisons_matchNumbersOnly_andAnyKey() {
        String tag = "n-" + UUID.randomUUID().toString().substring(0, 8);
        Cohort k = new Cohort(tag, contact(tag, "\"score\":70,\"we\\\"ird key\":5"),
                              contact(tag, "\"score\":\"70\""), contact(tag, "\"score\":[70]"));
        String oddKey = "{\"type\":\"attribute\",\"attribute\":\"we\\\"ird key\",\"operator\":\"gt\",\"value\":1}";
        assertThat(preview(k.rule(attr("score", "gte", "65")))).containsExactly(k.a());
        assertThat(preview(k.rule(attr("score", "lt", "1e3")))).containsExactly(k.a());
        assertThat(preview(k.rule(attr("missing", "lt", "1")))).isEmpty();
        assertThat(preview(k.rule(oddKey))).containsExactly(k.a());
        assertThat(preview(k.rule("{\"type\":\"not\",\"children\":[" + attr("score", "gt", "-0.5") + "]}")))
                .containsExactlyInAnyOrder(k.b(), k.c());
    }

    @Test
    void preview_attributeAndFieldConditions() {
        Cohort k = cohort();
        assertThat(preview(k.rule(attr("plan", "eq", "\"pro\"")))).containsExactly(k.a());
        assertThat(preview(k.rule(attr("plan", "neq", "\"pro\"")))).containsExactlyInAnyOrder(k.b(), k.c());
        assertThat(preview(k.rule(attr("tags", "contains", "\"vip\"")))).containsExactly(k.a());
        assertThat(preview(k.rule(attr("plan", "contains", "\"RO\"")))).containsExactlyInAnyOrder(k.a(), k.c());
        assertThat(preview(k.rule(attr("plan", "starts_with", "\"prof\"")))).containsExactly(k.c());
        assertThat(preview(k.rule(attr("age", "gt", "30")))).containsExactlyInAnyOrder(k.a(), k.c());
        assertThat(preview(k.rule(attr("age", "lte", "30.5")))).containsExactlyInAnyOrder(k.b(), k.c());
        assertThat(preview(k.rule(attr("age", "in", "[17, 42]")))).containsExactlyInAnyOrder(k.a(), k.b());
        assertThat(preview(k.rule(attr("name", "exists", null)))).containsExactly(k.b());
        assertThat(preview(k.rule(attr("name", "exists", "false")))).containsExactlyInAnyOrder(k.a(), k.c());
        assertThat(preview(k.rule(attr("signup", "before", "\"2024-06-01\"")))).containsExactly(k.a());
        assertThat(preview(k.rule(attr("signup", "after", "\"2024-05-01\"")))).containsExactly(k.b());
        assertThat(preview(k.rule(attr("signup", "after", "\"2024-06-15T11:00:00+00:00\"")))).containsExactly(k.b());
        assertThat(preview(k.rule(attr("seen", "within_last", "7")))).containsExactly(k.a());
        assertThat(preview(k.rule("{\"type\":\"not\",\"children\":[" + attr("age", "gt", "20") + "]}")))
                .containsExactly(k.b());
        assertThat(preview(k.rule("{\"type\":\"or\",\"children\":[" + attr("plan", "eq", "\"free\"") + ","
                                          + attr("age", "eq", "42") + "]}"))).containsExactlyInAnyOrder(k.a(), k.b());
        assertThat(preview(k.rule("{\"type\":\"field\",\"attribute\":\"email\",\"operator\":\"starts_with\",\"value\":\""
                                          + k.tag() + "\"}"))).hasSize(3);
        assertThat(preview(k.rule("{\"type\":\"field\",\"attribute\":\"createdAt\",\"operator\":\"within_last\",\"value\":1}")))
                .hasSize(3);
    }

    @Test
    void preview_behaviourConditions_includingDidNotPerform() {
        Cohort k = cohort();
        String old = Instant.now().minus(20, ChronoUnit.DAYS).toString();
        String userA = api.get("/api/contacts/" + k.a()).json().get("externalId").asText();
        String userB = api.get("/api/contacts/" + k.b()).json().get("externalId").asText();
        String batch = """
                {"batch":[
                  {"userId":"%s","event":"Purchase","properties":{"amount":50}},
                  {"userId":"%s","event":"Purchase","properties":{"amount":150}},
                  {"userId":"%s","event":"Purchase","properties":{"amount":200}},
                  {"userId":"%s","event":"Purchase","properties":{"amount":500},"timestamp":"%s"},
                  {"userId":"%s","event":"Purchase","properties":{"amount":10}}
                ]}""".formatted(userA, userA, userA, userB, old, userB);
        assertThat(api.post("/api/track/batch", batch).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from tracked_event where contact_id in (?::uuid, ?::uuid)", Long.class, k.a(), k.b()) == 5);

        String purchase = "{\"type\":\"behaviour\",\"event\":\"Purchase\"";
        assertThat(preview(k.rule(purchase + "}"))).containsExactlyInAnyOrder(k.a(), k.b());
        assertThat(preview(k.rule(purchase + ",\"operator\":\"at_least\",\"count\":2,\"withinLastDays\":7}")))
                .containsExactly(k.a());
        assertThat(preview(k.rule(purchase + ",\"operator\":\"at_least\",\"count\":2}"))).containsExactlyInAnyOrder(k.a(), k.b());
        assertThat(preview(k.rule(purchase + ",\"operator\":\"at_most\",\"count\":1,\"withinLastDays\":7}")))
                .containsExactlyInAnyOrder(k.b(), k.c());
        assertThat(preview(k.rule(purchase + ",\"operator\":\"exactly\",\"count\":1,\"withinLastDays\":7}")))
                .containsExactly(k.b());
        assertThat(preview(k.rule(purchase + ",\"operator\":\"exactly\",\"count\":0}"))).containsExactly(k.c());
        assertThat(preview(k.rule(purchase + ",\"operator\":\"not_performed\",\"withinLastDays\":7}")))
                .containsExactly(k.c());
        assertThat(preview(k.rule(purchase + ",\"operator\":\"at_least\",\"count\":2,\"where\":[{\"property\":\"amount\",\"operator\":\"gt\",\"value\":100}]}")))
                .containsExactlyInAnyOrder(k.a());
        String from = LocalDateTime.now(ZoneOffset.UTC).minusDays(30).toInstant(ZoneOffset.UTC).toString();
        String to = LocalDateTime.now(ZoneOffset.UTC).minusDays(10).toInstant(ZoneOffset.UTC).toString();
        assertThat(preview(k.rule(purchase + ",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}"))).containsExactly(k.b());
        assertThat(preview(k.rule("{\"type\":\"not\",\"children\":[" + purchase + ",\"withinLastDays\":3}]}")))
                .containsExactly(k.c());
        // behaviour conditions combined under OR and in a negated group
        String free = "{\"type\":\"attribute\",\"attribute\":\"plan\",\"operator\":\"eq\",\"value\":\"free\"}";
        assertThat(preview(k.rule("{\"type\":\"or\",\"children\":[" + purchase
                + ",\"operator\":\"not_performed\",\"withinLastDays\":7}," + free + "]}")))
                .containsExactlyInAnyOrder(k.b(), k.c());
        assertThat(preview(k.rule("{\"type\":\"not\",\"children\":[{\"type\":\"and\",\"children\":[" + purchase + "},"
                + free + "]}]}")))
                .containsExactlyInAnyOrder(k.a(), k.c());
        assertThat(preview(k.rule("{\"type\":\"or\",\"children\":[" + purchase + ",\"withinLastDays\":3,\"where\":"
                + "[{\"property\":\"amount\",\"operator\":\"gte\",\"value\":150}]}," + free + "]}")))
                .containsExactlyInAnyOrder(k.a(), k.b());
    }

    private static String field(String field, String op, String value) {
        return "{\"type\":\"field\",\"attribute\":\"" + field + "\",\"operator\":\"" + op + "\""
                + (value == null ? "" : ",\"value\":" + value) + "}";
    }

    @Test
    void fieldExists_selectsEveryoneWithAnEmailAddress_andFalseThoseWithout() {
        Cohort k = cohort();
        Response created = api.post("/api/contacts", "{\"externalId\":\"" + k.tag() + "-no-email\",\"attributes\":{\"cohort\":\""
                + k.tag() + "\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String noEmail = created.json().get("id").asText();

        assertThat(preview(k.rule(field("email", "exists", null)))).containsExactlyInAnyOrder(k.a(), k.b(), k.c());
        assertThat(preview(k.rule(field("email", "exists", "true")))).containsExactlyInAnyOrder(k.a(), k.b(), k.c());
        assertThat(preview(k.rule(field("email", "exists", "false")))).containsExactly(noEmail);
        assertThat(preview(k.rule(field("phone", "exists", "false")))).hasSize(4);
        assertThat(preview(k.rule(field("createdAt", "exists", null)))).hasSize(4);

        Response segment = api.post("/api/segments", "{\"name\":\"Without e-mail\",\"rules\":"
                + k.rule(field("email", "exists", "false")) + "}");
        assertThat(segment.status()).as(segment.toString()).isEqualTo(201);
        assertThat(segment.json().get("rules").get("children").get(1).toString())
                .isEqualTo("{\"type\":\"field\",\"attribute\":\"email\",\"operator\":\"exists\",\"value\":false}");
        assertThat(ids(api.get("/api/segments/" + segment.json().get("id").asText() + "/members"))).containsExactly(noEmail);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> node(Object... keysAndValues) {
        Map<String, Object> node = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return node;
    }

    private String created(Map<String, Object> contact) {
        Response created = api.post("/api/contacts", json(contact));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    @Test
    void preview_profileFields_everyOperator() {
        String tag = "f-" + UUID.randomUUID().toString().substring(0, 8);
        String p = created(node("externalId", tag + "-p-ABC", "email", tag + "-p@example.com", "phone", "+33 6 12 34 56 78",
                                "locale", "fr-FR", "timeZone", "Europe/Paris", "attributes", Map.of("cohort", tag)));
        String q = created(node("externalId", tag + "-q", "email", tag + "-q@example.org", "phone", "+14155550100",
                                "locale", "en-US", "timeZone", "America/New_York", "attributes", Map.of("cohort", tag)));
        String r = created(node("externalId", tag + "-r", "attributes", Map.of("cohort", tag)));
        Cohort k = new Cohort(tag, p, q, r);
        String text = "\"" + tag + "-p-ABC\"";

        assertThat(preview(k.rule(field("externalId", "eq", text)))).containsExactly(p);
        assertThat(preview(k.rule(field("externalId", "neq", text)))).containsExactlyInAnyOrder(q, r);
        assertThat(preview(k.rule(field("externalId", "contains", "\"-p-abc\"")))).containsExactly(p);
        assertThat(preview(k.rule(field("externalId", "starts_with", "\"" + tag.toUpperCase() + "-Q\"")))).containsExactly(q);
        assertThat(preview(k.rule(field("externalId", "in", "[" + text + ",\"" + tag + "-r\"]")))).containsExactlyInAnyOrder(p, r);
        assertThat(preview(k.rule(field("externalId", "exists", null)))).hasSize(3);

        assertThat(preview(k.rule(field("email", "eq", "\"  " + tag.toUpperCase() + "-P@EXAMPLE.COM \"")))).containsExactly(p);
        assertThat(preview(k.rule(field("email", "neq", "\"" + tag + "-p@example.com\"")))).containsExactlyInAnyOrder(q, r);
        assertThat(preview(k.rule(field("email", "contains", "\"EXAMPLE.org\"")))).containsExactly(q);
        assertThat(preview(k.rule(field("email", "in", "[\"" + tag + "-Q@example.org\"]")))).containsExactly(q);

        assertThat(preview(k.rule(field("phone", "eq", "\"+33612345678\"")))).containsExactly(p);
        assertThat(preview(k.rule(field("phone", "starts_with", "\"+1\"")))).containsExactly(q);
        assertThat(preview(k.rule(field("phone", "contains", "\"5555\"")))).containsExactly(q);
        assertThat(preview(k.rule(field("phone", "in", "[\"+14155550100\",\"+33612345678\"]")))).containsExactlyInAnyOrder(p, q);
        assertThat(preview(k.rule(field("phone", "exists", "false")))).containsExactly(r);

        assertThat(preview(k.rule(field("locale", "eq", "\"fr-FR\"")))).containsExactly(p);
        assertThat(preview(k.rule(field("locale", "starts_with", "\"EN\"")))).containsExactly(q);
        assertThat(preview(k.rule(field("locale", "in", "[\"en-US\",\"de-DE\"]")))).containsExactly(q);
        assertThat(preview(k.rule(field("locale", "exists", null)))).containsExactlyInAnyOrder(p, q);

        assertThat(preview(k.rule(field("timeZone", "contains", "\"paris\"")))).containsExactly(p);
        assertThat(preview(k.rule(field("timeZone", "neq", "\"Europe/Paris\"")))).containsExactlyInAnyOrder(q, r);
        assertThat(preview(k.rule(field("timeZone", "exists", "false")))).containsExactly(r);

        String tomorrow = "\"" + LocalDateTime.now(ZoneOffset.UTC).plusDays(1).toLocalDate() + "\"";
        String yesterday = "\"" + LocalDateTime.now(ZoneOffset.UTC).minusDays(1).toLocalDate() + "\"";
        assertThat(preview(k.rule(field("createdAt", "before", tomorrow)))).hasSize(3);
        assertThat(preview(k.rule(field("createdAt", "after", yesterday)))).hasSize(3);
        assertThat(preview(k.rule(field("createdAt", "after", tomorrow)))).isEmpty();
        assertThat(preview(k.rule(field("createdAt", "before", "\"2000-01-01T00:00:00Z\"")))).isEmpty();
        assertThat(preview(k.rule(field("createdAt", "exists", "false")))).isEmpty();
    }

    @Test
    void preview_consent_noRecordCountsAsSubscribed() {
        Cohort k = cohort();
        assertThat(api.post("/api/contacts/" + k.b() + "/consent", "{\"channel\":\"EMAIL\",\"status\":\"UNSUBSCRIBED\"}")
                           .status()).isEqualTo(200);
        String subscribed = "{\"type\":\"consent\",\"channel\":\"EMAIL\",\"status\":\"SUBSCRIBED\"}";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(preview(k.rule(subscribed))).containsExactlyInAnyOrder(k.a(), k.c()));
        assertThat(preview(k.rule("{\"type\":\"consent\",\"channel\":\"EMAIL\",\"status\":\"UNSUBSCRIBED\"}")))
                .containsExactly(k.b());
        assertThat(preview(k.rule("{\"type\":\"consent\",\"channel\":\"SMS\",\"status\":\"SUBSCRIBED\"}"))).hasSize(3);
        assertThat(preview(k.rule("{\"type\":\"not\",\"children\":[" + subscribed + "]}"))).containsExactly(k.b());
    }

    /** Quotes, comment and statement marks, placeholders, wildcards, unicode and long texts as keys and values. */
    @Test
    void hostileKeysAndValues_matchAsData() {
        String tag = "h-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "it's \"q\"; -- ?";
        String value = "'; drop table contact; --";
        String wide = "ünï ✓ 🎉 \u202e";
        String longKey = "k".repeat(100);
        String a = created(node("externalId", tag + "-a", "attributes", node(
                "cohort", tag, key, value, wide, "O'Brien \\ %_", longKey, 7, "?", "??", "$1", "x".repeat(1000))));
        String b = created(node("externalId", tag + "-b", "attributes", node("cohort", tag, key, "benign")));
        String c = created(node("externalId", tag + "-c", "email", tag + "-c@example.com", "attributes", node("cohort", tag)));
        Cohort k = new Cohort(tag, a, b, c);
        String event = "Bought \"it's\"; -- ?";
        String property = "we'ird \"key\" ?";
        Response tracked = api.post("/api/track/batch", json(Map.of("batch", List.of(
                node("userId", tag + "-a", "event", event, "properties", Map.of(property, "a'b --"))))));
        assertThat(tracked.status()).as(tracked.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from tracked_event where contact_id = ?::uuid", Long.class, a) == 1);

        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", key, "operator", "eq", "value", value)))))
                .containsExactly(a);
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", key, "operator", "neq", "value", value)))))
                .containsExactlyInAnyOrder(b, c);
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", key, "operator", "contains",
                                            "value", "DROP TABLE contact;")))))
                .containsExactly(a);
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", key, "operator", "starts_with",
                                            "value", "'; drop")))))
                .containsExactly(a);
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", key, "operator", "in",
                                            "value", List.of("x", value, 1))))))
                .containsExactly(a);
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", key, "operator", "exists")))))
                .containsExactlyInAnyOrder(a, b);
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", wide, "operator", "contains", "value", "%_")))))
                .containsExactly(a);
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", wide, "operator", "starts_with", "value", "_")))))
                .isEmpty();
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", longKey, "operator", "gt", "value", 6)))))
                .containsExactly(a);
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", "?", "operator", "eq", "value", "??")))))
                .containsExactly(a);
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", "$1", "operator", "eq", "value",
                                            "x".repeat(1000))))))
                .containsExactly(a);
        assertThat(preview(k.rule(json(node("type", "attribute", "attribute", key, "operator", "eq",
                                            "value", "'".repeat(1000))))))
                .isEmpty();
        // LIKE wildcards in a prefix are literal: no e-mail address starts with "%" or "_"
        assertThat(preview(k.rule(field("email", "starts_with", "\"%\"")))).isEmpty();
        assertThat(preview(k.rule(field("email", "starts_with", "\"_\"")))).isEmpty();
        assertThat(preview(k.rule(json(node("type", "field", "attribute", "email", "operator", "eq",
                                            "value", "x' or '1'='1")))))
                .isEmpty();
        assertThat(preview(k.rule(json(node("type", "field", "attribute", "externalId", "operator", "in",
                                            "value", List.of(value, tag + "-b")))))).containsExactly(b);

        Map<String, Object> performed = node("type", "behaviour", "event", event, "where", List.of(
                node("property", property, "operator", "eq", "value", "a'b --")));
        assertThat(preview(k.rule(json(performed)))).containsExactly(a);
        Map<String, Object> notPerformed = node("type", "behaviour", "event", event, "operator", "not_performed");
        assertThat(preview(k.rule(json(notPerformed)))).containsExactlyInAnyOrder(b, c);
        assertThat(api.get("/api/contacts/" + a).status()).isEqualTo(200);
    }

    @Test
    void invalidRules_are400NamingThePathOfTheBadNode() {
        Map<String, String> cases = Map.of(
                "{\"type\":\"and\",\"children\":[" + attr("a", "eq", "1") + "," + attr("b", "eq", "2") + ","
                        + attr("c", "gt", "\"x\"") + "]}", "rules.children[2].value",
                "{\"type\":\"nand\",\"children\":[]}", "rules.type",
                "{\"type\":\"not\",\"children\":[" + attr("a", "eq", "1") + "," + attr("b", "eq", "1") + "]}", "rules.children",
                "{\"type\":\"or\",\"children\":[{\"type\":\"behaviour\",\"event\":\"x\",\"operator\":\"exactly\"}]}",
                "rules.children[0].count",
                "{\"type\":\"attribute\",\"attribute\":\"a\",\"operator\":\"like\",\"value\":\"%\"}", "rules.operator",
                "{\"type\":\"attribute\",\"attribute\":\"a\",\"operator\":\"eq\",\"value\":1,\"event\":\"x\"}", "rules.event",
                "{\"type\":\"behaviour\",\"event\":\"x\",\"where\":[{\"property\":\"p\",\"operator\":\"before\",\"value\":\"soon\"}]}",
                "rules.where[0].value");
        cases.forEach((rules, path) -> {
            Response refused = api.post("/api/segments/preview", "{\"rules\":" + rules + "}");
            assertThat(refused.status()).as(rules + " -> " + refused).isEqualTo(400);
            assertThat(refused.json().get("code").asText()).isEqualTo("segment.rules.invalid");
            assertThat(refused.json().get("errors").get(0).get("field").asText()).as(rules).isEqualTo(path);
        });
        Response create = api.post("/api/segments", "{\"name\":\"bad\",\"rules\":{\"type\":\"and\",\"children\":[]}}");
        assertThat(create.status()).isEqualTo(400);
        assertThat(create.json().get("errors").get(0).get("field").asText()).isEqualTo("rules.children");
        Response wrongType = api.post("/api/segments/preview", "{\"rules\":{\"type\":\"consent\",\"channel\":\"FAX\",\"status\":\"SUBSCRIBED\"}}");
        assertThat(wrongType.status()).isEqualTo(400);
    }

    /** PostgreSQL text and jsonb cannot hold U+0000: a rule comparing with it is refused, never a 500. */
    @Test
    void nulCharacters_are400NamingThePath() {
        Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
        cases.put(node("type", "attribute", "attribute", "a\u0000", "operator", "exists"), "rules.attribute");
        cases.put(node("type", "attribute", "attribute", "a", "operator", "eq", "value", "x\u0000"), "rules.value");
        cases.put(node("type", "attribute", "attribute", "a", "operator", "contains", "value", "\u0000"), "rules.value");
        cases.put(node("type", "attribute", "attribute", "a", "operator", "in", "value", List.of("b", "\u0000")), "rules.value[1]");
        cases.put(node("type", "field", "attribute", "email", "operator", "eq", "value", "\u0000"), "rules.value");
        cases.put(node("type", "field", "attribute", "phone", "operator", "starts_with", "value", "+\u0000"), "rules.value");
        cases.put(node("type", "behaviour", "event", "E\u0000"), "rules.event");
        cases.put(node("type", "behaviour", "event", "E", "where", List.of(
                node("property", "p\u0000", "operator", "exists"))), "rules.where[0].property");
        cases.forEach((rule, path) -> {
            Response refused = api.post("/api/segments/preview", json(Map.of("rules", rule)));
            assertThat(refused.status()).as(rule + " -> " + refused).isEqualTo(400);
            assertThat(refused.json().get("code").asText()).isEqualTo("segment.rules.invalid");
            assertThat(refused.json().get("errors").get(0).get("field").asText()).as(rule.toString()).isEqualTo(path);
        });
    }

    @Test
    void fieldsOfAnotherKindOfNode_andAMissingType_are400NamingThePath() {
        Map<String, String> cases = Map.of(
                "{\"type\":\"or\",\"children\":[" + attr("a", "exists", null) + ",{\"type\":\"consent\",\"channel\":\"SMS\","
                        + "\"status\":\"SUBSCRIBED\",\"count\":2}]}", "rules.children[1].count",
                "{\"type\":\"and\",\"value\":1,\"children\":[" + attr("a", "exists", null) + "]}", "rules.value",
                "{\"type\":\"not\",\"children\":[{\"attribute\":\"a\",\"operator\":\"exists\"}]}", "rules.children[0].type",
                "{\"event\":\"x\",\"type\":\"behaviour\",\"segmentId\":null}", "rules.segmentId",
                "{\"type\":\"field\",\"attribute\":\"email\",\"operator\":\"exists\",\"children\":[]}", "rules.children");
        cases.forEach((rules, path) -> {
            Response refused = api.post("/api/segments/preview", "{\"rules\":" + rules + "}");
            assertThat(refused.status()).as(rules + " -> " + refused).isEqualTo(400);
            assertThat(refused.json().get("code").asText()).as(rules).isEqualTo("segment.rules.invalid");
            assertThat(refused.json().get("errors").get(0).get("field").asText()).as(rules).isEqualTo(path);
        });
        Response notUsed = api.post("/api/segments", "{\"name\":\"x\",\"rules\":{\"type\":\"segment\",\"segmentId\":\""
                + UUID.randomUUID() + "\",\"operator\":\"eq\"}}");
        assertThat(notUsed.status()).isEqualTo(400);
        assertThat(notUsed.json().get("detail").asText()).isEqualTo("rules.operator: not used by a segment rule");
        Response missingType = api.post("/api/segments/preview", "{\"rules\":{\"children\":[]}}");
        assertThat(missingType.json().get("detail").asText())
                .isEqualTo("rules.type: type must be one of [and, attribute, behaviour, consent, engagement, field, not, or, segment]");

        // a field no node has is an unknown field of the request; a node that is no object has the wrong type
        Response unknown = api.post("/api/segments/preview", "{\"rules\":{\"type\":\"attribute\",\"attribute\":\"a\","
                + "\"operator\":\"exists\",\"colour\":\"red\"}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("code").asText()).isEqualTo("request.unknown-field");
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("rules.colour");
        Response scalar = api.post("/api/segments/preview", "{\"rules\":{\"type\":\"and\",\"children\":[1]}}");
        assertThat(scalar.status()).isEqualTo(400);
        assertThat(scalar.json().get("code").asText()).isEqualTo("request.invalid-value");
        assertThat(scalar.json().get("errors").get(0).get("field").asText()).isEqualTo("rules.children[0]");
    }

    @Test
    void segments_areEventSourced_membersPaged_membershipWithoutCycles() {
        Cohort k = cohort();
        Response created = api.post("/api/segments", "{\"name\":\"Pros\",\"description\":\"paying\",\"rules\":"
                + k.rule(attr("age", "gte", "30")) + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String pros = created.json().get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/segments/" + pros);

        JsonNode members = api.get("/api/segments/" + pros + "/members?size=1").json();
        assertThat(members.get("totalItems").asLong()).isEqualTo(2);
        assertThat(members.get("items").size()).isEqualTo(1);
        assertThat(api.get("/api/segments/" + pros + "/members?size=1&page=1").json().get("items").get(0).get("id").asText())
                .isNotEqualTo(members.get("items").get(0).get("id").asText());

        String nested = api.post("/api/segments", "{\"name\":\"Pro VIPs\",\"rules\":{\"type\":\"and\",\"children\":["
                + "{\"type\":\"segment\",\"segmentId\":\"" + pros + "\"}," + attr("tags", "contains", "\"vip\"") + "]}}")
                .json().get("id").asText();
        assertThat(ids(api.get("/api/segments/" + nested + "/members"))).containsExactly(k.a());

        Response cycle = api.put("/api/segments/" + pros, "{\"name\":\"Pros\",\"rules\":{\"type\":\"segment\",\"segmentId\":\""
                + nested + "\"}}");
        assertThat(cycle.status()).as(cycle.toString()).isEqualTo(422);
        assertThat(cycle.json().get("code").asText()).isEqualTo("segment.reference.cycle");
        Response unknown = api.post("/api/segments", "{\"name\":\"x\",\"rules\":{\"type\":\"segment\",\"segmentId\":\""
                + UUID.randomUUID() + "\"}}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("code").asText()).isEqualTo("segment.reference.unknown");

        Response updated = api.put("/api/segments/" + pros, "{\"name\":\"Pros 30+\",\"rules\":" + k.rule(attr("age", "gte", "40")) + "}");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("name").asText()).isEqualTo("Pros 30+");
        assertThat(ids(api.get("/api/segments/" + nested + "/members"))).containsExactly(k.a());

        Response inUse = api.send("DELETE", "/api/segments/" + pros, null, null, Map.of());
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.json().get("code").asText()).isEqualTo("segment.in-use");
        assertThat(inUse.json().get("segmentIds").get(0).asText()).isEqualTo(nested);

        JsonNode history = api.get("/api/segments/" + pros + "/history").json().get("events");
        assertThat(history.size()).isEqualTo(2);
        assertThat(history.get(0).get("type").asText()).isEqualTo("SegmentCreated");
        assertThat(history.get(1).get("type").asText()).isEqualTo("SegmentUpdated");
        assertThat(history.get(1).get("actor").asText()).startsWith("user:");
        assertThat(api.get("/api/segments?size=200").json().get("totalItems").asLong()).isGreaterThanOrEqualTo(2);

        assertThat(api.send("DELETE", "/api/segments/" + nested, null, null, Map.of()).status()).isEqualTo(204);
        assertThat(api.get("/api/segments/" + nested).status()).isEqualTo(404);
        assertThat(api.send("DELETE", "/api/segments/" + pros, null, null, Map.of()).status()).isEqualTo(204);
        assertThat(api.get("/api/segments/" + UUID.randomUUID() + "/members").status()).isEqualTo(404);
    }

    @Test
    void campaigns_needAnExistingSegment_andASegmentInUseCannotBeDeleted() {
        Cohort k = cohort();
        String segment = api.post("/api/segments", "{\"name\":\"Audience\",\"rules\":" + k.rule(attr("age", "gt", "0")) + "}")
                .json().get("id").asText();
        String withSegment = CampaignApiITSupport.EMAIL_BODY.replace("\"throttlePerSecond\":50",
                                                                      "\"segmentId\":\"" + segment + "\"");
        Response unknown = api.post("/api/campaigns", CampaignApiITSupport.EMAIL_BODY.replace(
                "\"throttlePerSecond\":50", "\"segmentId\":\"" + UUID.randomUUID() + "\""));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
        assertThat(unknown.json().get("code").asText()).isEqualTo("campaign.segment.unknown");

        String campaign = api.post("/api/campaigns", withSegment).json().get("id").asText();
        String sendAt = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES).toString();
        Response scheduled = api.post("/api/campaigns/" + campaign + "/schedule",
                                      "{\"sendAt\":\"" + sendAt + "\",\"timeZone\":\"UTC\"}");
        assertThat(scheduled.status()).as(scheduled.toString()).isEqualTo(200);

        Response refused = api.send("DELETE", "/api/segments/" + segment, null, null, Map.of());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asText()).isEqualTo("segment.in-use");
        assertThat(refused.json().get("campaignIds").get(0).asText()).isEqualTo(campaign);

        // the delivery side reads the audience: consent and address on the channel
        api.post("/api/contacts/" + k.b() + "/consent", "{\"channel\":\"EMAIL\",\"status\":\"BOUNCED\",\"reason\":\"550\"}");
        SegmentAudienceView audience = queryGateway.query(new FindSegmentAudienceQuery(segment, Channel.EMAIL, null, 100),
                                                          ResponseTypes.instanceOf(SegmentAudienceView.class)).join();
        assertThat(audience.contactIds()).containsExactlyInAnyOrder(k.a(), k.c());
        SegmentAudienceView sms = queryGateway.query(new FindSegmentAudienceQuery(segment, Channel.SMS, null, 100),
                                                     ResponseTypes.instanceOf(SegmentAudienceView.class)).join();
        assertThat(sms.contactIds()).isEmpty(); // nobody has a phone

        assertThat(api.post("/api/campaigns/" + campaign + "/cancel", null).status()).isEqualTo(200);
        assertThat(api.send("DELETE", "/api/segments/" + segment, null, null, Map.of()).status()).isEqualTo(204);

        String draft = api.post("/api/campaigns", CampaignApiITSupport.EMAIL_BODY).json().get("id").asText();
        Response edit = api.put("/api/campaigns/" + draft, withSegment.replace("Winter sale", "Spring"));
        assertThat(edit.status()).isEqualTo(422);
        assertThat(edit.json().get("errors").get(0).get("field").asText()).isEqualTo("segmentId");
    }

    private static List<String> ids(Response page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    @Test
    void ifMatch_staleUpdateIs412AndWritesNothing_currentIsApplied() {
        String rules = "{\"type\":\"attribute\",\"attribute\":\"plan\",\"operator\":\"eq\",\"value\":\"pro\"}";
        Response created = api.post("/api/segments", "{\"name\":\"Match\",\"rules\":" + rules + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        String first = created.header("ETag");
        assertThat(first).isEqualTo("\"0\"");

        Response current = api.send("PUT", "/api/segments/" + id, "{\"name\":\"Match 2\",\"rules\":" + rules + "}",
                                    "application/json", Map.of("If-Match", first));
        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        assertThat(current.header("ETag")).isEqualTo("\"1\"");

        Response stale = api.send("PUT", "/api/segments/" + id, "{\"name\":\"Match 3\",\"rules\":" + rules + "}",
                                  "application/json", Map.of("If-Match", first));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        assertThat(stale.header("Content-Type")).startsWith("application/problem+json");
        assertThat(stale.json().get("code").asText()).isEqualTo("precondition.failed");
        Response staleDelete = api.send("DELETE", "/api/segments/" + id, null, null, Map.of("If-Match", first));
        assertThat(staleDelete.status()).as(staleDelete.toString()).isEqualTo(412);
        JsonNode history = api.get("/api/segments/" + id + "/history").json().get("events");
        assertThat(history.size()).isEqualTo(2);
        assertThat(api.get("/api/segments/" + id).json().get("name").asText()).isEqualTo("Match 2");

        Response delete = api.send("DELETE", "/api/segments/" + id, null, null, Map.of("If-Match", "\"1\""));
        assertThat(delete.status()).isEqualTo(204);
        assertThat(api.get("/api/segments/" + id).status()).isEqualTo(404);
    }
}
