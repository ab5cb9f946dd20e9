package io.herald.gateway.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.Mailbox;
import io.herald.gateway.support.TestAuth;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Segment rules on e-mail engagement end to end: campaigns sent to GreenMail, their pixels and links fetched from
 * the received messages over HTTP as a person (or Gmail's image proxy) would, then the segment preview, a stored
 * segment's members and a segment-triggered flow see exactly the contacts who opened or clicked.
 */
class EngagementSegmentIT {

    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/120.0 Safari/537.36";
    private static final String GOOGLE_PROXY = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 "
            + "(via ggpht.com GoogleImageProxy)";
    private static final Pattern PIXEL = Pattern.compile("/t/o/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern CLICK = Pattern.compile("/t/c/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    static HeraldInstance herald;
    static ApiClient api;
    static GreenMail mail;
    static HttpClient http;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                      "herald.delivery.worker.poll-interval=100ms",
                                      "herald.flow.runtime.poll-interval=100ms",
                                      // the test fetches right after the send: the time rule is MachineTrafficTest's
                                      "herald.engagement.machine-window=0s",
                                      "spring.mail.host=127.0.0.1",
                                      "spring.mail.port=" + mail.getSmtp().getPort());
        api = TestAuth.asAdmin(herald.api());
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        jdbc = new JdbcTemplate(herald.bean(DataSource.class));
    }

    @AfterAll
    static void stop() {
        if (herald != null) {
            herald.close();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A contact with the attributes; returns its id and address. */
    private static String[] contact(Map<String, Object> attributes) {
        String address = "s" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        Response created = api.post("/api/contacts", json(Map.of("email", address, "attributes", attributes)));
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        return new String[]{created.json().get("id").asText(), address};
    }

    private static String segment(Object rules) {
        Response created = api.post("/api/segments", json(Map.of("name", "S " + UUID.randomUUID(), "rules", rules)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static Map<String, Object> attr(String key, String value) {
        return Map.of("type", "attribute", "attribute", key, "operator", "eq", "value", value);
    }

    /**
     * Launches an e-mail campaign (a pixel and one tracked link) with the subject to the contacts with {@code key} =
     * {@code value}.
     */
    private static String launch(String key, String value, String subject) {
        Map<String, Object> content = Map.of(
                "subject", subject, "body", "Sale: https://shop.example.com/sale\nUnsubscribe: {{ unsubscribe_url }}",
                "html", "<html><body><a href=\"https://shop.example.com/sale\">Sale</a>"
                        + " <a href=\"{{ unsubscribe_url }}\">Unsubscribe</a></body></html>");
        Response created = api.post("/api/campaigns", json(Map.of("name", "C " + UUID.randomUUID(), "channel", "EMAIL",
                                                                  "content", content, "segmentId",
                                                                  segment(attr(key, value)))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String campaignId = created.json().get("id").asText();
        assertThat(api.post("/api/campaigns/" + campaignId + "/launch", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                api.get("/api/campaigns/" + campaignId).json().get("status").asText()).isEqualTo("COMPLETED"));
        return campaignId;
    }

    /** The HTML part of the one message with the subject received at the address. */
    private static String html(String address, String subject) throws Exception {
        List<MimeMessage> messages = new java.util.ArrayList<>();
        for (MimeMessage message : Mailbox.to(mail, address)) {
            if (subject.equals(message.getSubject())) {
                messages.add(message);
            }
        }
        assertThat(messages).hasSize(1);
        Map<String, String> parts = new LinkedHashMap<>();
        collect(messages.get(0), parts);
        return parts.get("text/html");
    }

    private static void collect(Part part, Map<String, String> parts) throws Exception {
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                collect(body, parts);
            }
        } else if (content instanceof String text) {
            parts.put(part.getContentType().toLowerCase().split(";")[0].strip(), text);
        }
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in %s", pattern, text).isTrue();
        return matcher.group();
    }

    private static int fetch(String path, String userAgent) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + path))
                .header("User-Agent", userAgent).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Map<String, Object> engagement(String action, String campaignId, Integer withinLastDays,
                                                  Boolean humanOnly) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("type", "engagement");
        rule.put("action", action);
        if (campaignId != null) {
            rule.put("campaignId", campaignId);
        }
        if (withinLastDays != null) {
            rule.put("withinLastDays", withinLastDays);
        }
        if (humanOnly != null) {
            rule.put("humanOnly", humanOnly);
        }
        return rule;
    }

    private static Map<String, Object> not(Object rule) {
        return Map.of("type", "not", "children", List.of(rule));
    }

    /** The contacts of this run the rule matches, by the preview (its count and its sample agree). */
    private static Set<String> preview(String run, Object rule) {
        Response preview = api.post("/api/segments/preview", json(Map.of(
                "rules", Map.of("type", "and", "children", List.of(attr("run", run), rule)), "sampleSize", 100)));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        preview.json().get("sample").forEach(contact -> ids.add(contact.get("id").asText()));
        assertThat(preview.json().get("count").asLong()).isEqualTo(ids.size());
        return ids;
    }

    // --- tests -----------------------------------------------------------------------------------------------------

    @Test
    void openedAndClicked_byCampaignOrAny_humanOnly_negated_andInAWindow_matchExactlyTheRightContacts()
            throws Exception {
        String run = "run-" + UUID.randomUUID();
        String[] a = contact(Map.of("run", run, "wave1", run));
        String[] b = contact(Map.of("run", run, "wave1", run));
        String[] c = contact(Map.of("run", run, "wave1", run, "wave2", run));
        String[] d = contact(Map.of("run", run));
        String first = launch("wave1", run, "First");
        String second = launch("wave2", run, "Second");

        // a opens the first campaign in a browser and clicks its link; Gmail's proxy fetches b's pixel (machine);
        // c opens only the second, d got nothing
        String aHtml = html(a[1], "First");
        assertThat(fetch(first(PIXEL, aHtml), BROWSER)).isEqualTo(200);
        assertThat(fetch(first(CLICK, aHtml), BROWSER)).isEqualTo(302);
        assertThat(fetch(first(PIXEL, html(b[1], "First")), GOOGLE_PROXY)).isEqualTo(200);
        assertThat(fetch(first(PIXEL, html(c[1], "Second")), BROWSER)).isEqualTo(200);

        Set<String> aOnly = Set.of(a[0]);
        Set<String> ab = Set.of(a[0], b[0]);
        Set<String> abc = Set.of(a[0], b[0], c[0]);
        assertThat(preview(run, engagement("opened", first, null, null))).isEqualTo(ab);
        assertThat(preview(run, engagement("opened", first, null, true))).isEqualTo(aOnly);
        assertThat(preview(run, engagement("opened", first, null, false))).isEqualTo(ab);
        assertThat(preview(run, engagement("opened", second, null, null))).isEqualTo(Set.of(c[0]));
        assertThat(preview(run, engagement("clicked", first, null, null))).isEqualTo(aOnly);
        assertThat(preview(run, engagement("clicked", second, null, null))).isEmpty();
        assertThat(preview(run, engagement("clicked", null, null, null))).isEqualTo(aOnly);
        assertThat(preview(run, engagement("opened", null, null, null))).isEqualTo(abc);
        assertThat(preview(run, engagement("opened", null, null, true))).isEqualTo(Set.of(a[0], c[0]));
        assertThat(preview(run, not(engagement("opened", first, null, null)))).isEqualTo(Set.of(c[0], d[0]));
        assertThat(preview(run, not(engagement("opened", null, null, true)))).isEqualTo(Set.of(b[0], d[0]));
        assertThat(preview(run, not(engagement("clicked", null, 30, null)))).isEqualTo(Set.of(b[0], c[0], d[0]));
        assertThat(preview(run, engagement("opened", null, 1, null))).isEqualTo(abc);

        // a stored segment: its members, and its rules read back as sent
        Map<String, Object> rule = engagement("opened", first.toUpperCase(), 7, true);
        String stored = segment(Map.of("type", "and", "children", List.of(attr("run", run), rule)));
        JsonNode members = api.get("/api/segments/" + stored + "/members?size=100").json();
        Set<String> memberIds = new HashSet<>();
        members.get("items").forEach(contact -> memberIds.add(contact.get("id").asText()));
        assertThat(memberIds).isEqualTo(aOnly);
        assertThat(api.get("/api/segments/" + stored).json().at("/rules/children/1"))
                .isEqualTo(JSON.valueToTree(rule));

        // the window counts back from now: b's opens 3 days minus 10 minutes ago, c's 3 days and 10 minutes ago
        jdbc.update("update email_engagement set occurred_at = now() - interval '3 days' + interval '10 minutes' "
                            + "where contact_id = ?::uuid", b[0]);
        jdbc.update("update email_engagement set occurred_at = now() - interval '3 days' - interval '10 minutes' "
                            + "where contact_id = ?::uuid", c[0]);
        assertThat(preview(run, engagement("opened", null, 2, null))).isEqualTo(aOnly);
        assertThat(preview(run, engagement("opened", null, 3, null))).isEqualTo(ab);
        assertThat(preview(run, engagement("opened", null, 4, null))).isEqualTo(abc);
        assertThat(preview(run, not(engagement("opened", null, 3, null)))).isEqualTo(Set.of(c[0], d[0]));
    }

    @Test
    void anUnknownCampaign_is422NamingTheNode_andAMalformedEngagementNode_is400NamingTheField() {
        String unknown = UUID.randomUUID().toString();
        Map<String, Object> rules = Map.of("type", "or", "children", List.of(
                attr("plan", "pro"), engagement("clicked", unknown, null, null)));
        for (Response refused : List.of(
                api.post("/api/segments", json(Map.of("name", "x", "rules", rules))),
                api.post("/api/segments/preview", json(Map.of("rules", rules))))) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("code").asText()).isEqualTo("segment.campaign.unknown");
            assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("rules.children[1].campaignId");
        }
        // a flow's branch rule, the same: 422 naming the node and the path in its rule
        Response flow = api.post("/api/flows", json(Map.of("name", "F " + unknown, "definition", Map.of(
                "trigger", Map.of("type", "event", "event", "Signed Up"),
                "nodes", List.of(Map.of("type", "entry", "id", "start", "next", "check"),
                                 Map.of("type", "branch", "id", "check", "rule", rules, "trueNext", "done",
                                        "falseNext", "done"),
                                 Map.of("type", "exit", "id", "done"))))));
        assertThat(flow.status()).as(flow.toString()).isEqualTo(422);
        assertThat(flow.json().get("code").asText()).isEqualTo("flow.campaign.unknown");
        assertThat(flow.json().get("nodeId").asText()).isEqualTo("check");
        assertThat(flow.json().get("errors").get(0).get("field").asText())
                .isEqualTo("definition.nodes[check].rule.children[1].campaignId");

        Map<String, String> cases = Map.of(
                "{\"type\":\"engagement\",\"action\":\"opened\",\"withinLastDays\":0}", "rules.withinLastDays",
                "{\"type\":\"not\",\"children\":[{\"type\":\"engagement\",\"action\":\"opened\",\"withinLastDays\":36501}]}",
                "rules.children[0].withinLastDays",
                "{\"type\":\"engagement\",\"action\":\"clicked\",\"campaignId\":\"spring-sale\"}", "rules.campaignId",
                "{\"type\":\"engagement\"}", "rules.action",
                "{\"type\":\"engagement\",\"action\":\"opened\",\"event\":\"Open\"}", "rules.event");
        cases.forEach((bad, path) -> {
            for (Response refused : List.of(api.post("/api/segments/preview", "{\"rules\":" + bad + "}"),
                                            api.post("/api/segments", "{\"name\":\"x\",\"rules\":" + bad + "}"))) {
                assertThat(refused.status()).as(bad + " -> " + refused).isEqualTo(400);
                assertThat(refused.json().get("code").asText()).as(bad).isEqualTo("segment.rules.invalid");
                assertThat(refused.json().get("errors").get(0).get("field").asText()).as(bad).isEqualTo(path);
            }
        });
        // an action Herald does not record (yet): the same error as a missing one
        Response bounced = api.post("/api/segments/preview", "{\"rules\":{\"type\":\"and\",\"children\":["
                + "{\"type\":\"engagement\",\"action\":\"bounced\"}]}}");
        assertThat(bounced.status()).as(bounced.toString()).isEqualTo(400);
        assertThat(bounced.json().get("code").asText()).isEqualTo("segment.rules.invalid");
        assertThat(bounced.json().get("errors").get(0).get("field").asText()).isEqualTo("rules.children[0].action");
        assertThat(bounced.json().get("detail").asText()).contains("one of [opened, clicked]");
    }

    @Test
    void theOpenApiDocument_describesTheEngagementNode_asTheDashboardsSnapshotHasIt() throws Exception {
        JsonNode live = api.get("/v3/api-docs").json().at("/components/schemas/EmailEngagement");
        JsonNode snapshot = JSON.readTree(java.nio.file.Path.of("..", "dashboard", "openapi.json").toFile())
                .at("/components/schemas/EmailEngagement");
        assertThat(live.isMissingNode()).isFalse();
        assertThat(live).isEqualTo(snapshot);
        assertThat(api.get("/v3/api-docs").json().at("/components/schemas/Preview/properties/rules/oneOf").toString())
                .contains("#/components/schemas/EmailEngagement");
    }

    @Test
    void anOpen_entersTheContactIntoAFlowTriggeredByASegmentWithAnEngagementRule() throws Exception {
        String run = "flow-" + UUID.randomUUID();
        String[] opener = contact(Map.of("run", run));
        String[] other = contact(Map.of("run", run));
        String campaign = launch("run", run, "Flow");
        String segmentId = segment(Map.of("type", "and", "children", List.of(
                attr("run", run), engagement("opened", campaign, 7, null))));
        Response created = api.post("/api/flows", json(Map.of("name", "F " + run, "definition", Map.of(
                "trigger", Map.of("type", "segment", "segmentId", segmentId),
                "nodes", List.of(Map.of("type", "entry", "id", "start", "next", "pause"),
                                 Map.of("type", "wait", "id", "pause", "duration", "PT1H", "next", "done"),
                                 Map.of("type", "exit", "id", "done"))))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String flow = created.json().get("id").asText();
        assertThat(api.post("/api/flows/" + flow + "/publish", null).status()).isEqualTo(200);
        assertThat(api.post("/api/flows/" + flow + "/activate", null).status()).isEqualTo(200);
        // the members at activation (none) are written down; the trigger processor learns of the flow within 2 s
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from flow_segment_flow where flow_id = ?::uuid", Long.class, flow) == 1);
        await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(5)).until(() -> true);

        assertThat(fetch(first(PIXEL, html(opener[1], "Flow")), BROWSER)).isEqualTo(200);
        // checked within the checks' rhythm (every 5 s, for changes at least 2 s old), long before the hourly sweep
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                api.get("/api/flows/" + flow + "/runs?contactId=" + opener[0]).json().get("totalItems").asLong())
                .isEqualTo(1));
        // entered by the check of the contact the open marked, not by a sweep of the whole segment (the first comes
        // 30 s after the activation)
        String entered = null;
        for (JsonNode step : api.get("/api/flows/" + flow + "/runs?contactId=" + opener[0]).json()
                .at("/items/0/steps")) {
            if (step.get("kind").asText().equals("entered")) {
                entered = step.get("detail").asText();
            }
        }
        assertThat(entered).contains("entered segment " + segmentId).doesNotContain("sweep");
        assertThat(api.get("/api/flows/" + flow + "/runs?contactId=" + other[0]).json().get("totalItems").asLong())
                .isZero();
        assertThat(api.post("/api/flows/" + flow + "/stop", null).status()).isEqualTo(200);
    }
}
