package io.herald.gateway.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TrackingApiIT extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    org.springframework.context.ApplicationContext context;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private long storedTracked(String messageId) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where payload_type = "
                                           + "'io.herald.api.tracking.EventTrackedEvent' "
                                           + "and position(convert_to(?, 'UTF8') in payload) > 0",
                                   Long.class, "\"messageId\":\"" + messageId + "\"");
    }

    @Test
    void track_sameMessageIdTwice_isStoredOnce_andAnswered200Both() {
        String user = unique("user");
        String messageId = unique("msg");
        String body = """
                {"userId":"%s","event":"Signed Up","properties":{"plan":"pro","amount":12.5},
                 "timestamp":"%s","messageId":"%s"}""".formatted(user, Instant.now().minusSeconds(60), messageId);
        Response first = api.post("/api/track", body);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("status").asText()).isEqualTo("ACCEPTED");
        String contactId = first.json().get("contactId").asText();
        Response again = api.post("/api/track", body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(storedTracked(messageId)).isEqualTo(1);

        // the unknown user became a contact (in the read model a moment later), and the event reached the segment read model
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/contacts/" + contactId).status() == 200);
        assertThat(api.get("/api/contacts/" + contactId).json().get("externalId").asText()).isEqualTo(user);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from tracked_event where contact_id = ?::uuid and event = 'Signed Up'",
                Long.class, contactId) == 1);
        JsonNode timeline = api.get("/api/contacts/" + contactId + "/timeline").json().get("entries");
        assertThat(timeline.get(0).get("type").asText()).isEqualTo("ContactCreated");
        assertThat(timeline.get(1).get("type").asText()).isEqualTo("EventTracked");
        assertThat(timeline.get(1).get("payload").get("properties").get("plan").asText()).isEqualTo("pro");
    }

    @Test
    void batch_storesAllAtOnce_countsDuplicates_andFlagsLateEvents() {
        String user = unique("batch");
        String repeated = unique("m");
        api.post("/api/track", "{\"userId\":\"%s\",\"event\":\"Visited\",\"messageId\":\"%s\"}".formatted(user, repeated));
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 20; i++) {
            batch.append("{\"userId\":\"%s\",\"event\":\"Viewed\",\"properties\":{\"i\":%d},\"messageId\":\"%s-%d\"},"
                                 .formatted(user, i, repeated, i));
        }
        batch.append("{\"userId\":\"%s\",\"event\":\"Viewed\",\"messageId\":\"%s-3\"},".formatted(user, repeated));
        batch.append("{\"userId\":\"%s\",\"event\":\"Visited\",\"messageId\":\"%s\"},".formatted(user, repeated));
        batch.append("{\"anonymousId\":\"anon-1\",\"event\":\"Viewed\"},");
        batch.append("{\"userId\":\"%s\",\"event\":\"Old\",\"timestamp\":\"2020-01-01T00:00:00Z\"}]}".formatted(user));
        Response response = api.post("/api/track/batch", batch.toString());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("accepted").asLong()).isEqualTo(22);
        assertThat(response.json().get("duplicates").asLong()).isEqualTo(2);
        JsonNode results = response.json().get("results");
        assertThat(results.get(20).get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(results.get(21).get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(results.get(22).has("contactId")).isFalse();
        assertThat(results.get(23).get("late").asBoolean()).isTrue();
        assertThat(results.get(0).get("late").asBoolean()).isFalse();
        String contactId = results.get(0).get("contactId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from tracked_event where contact_id = ?::uuid", Long.class, contactId) == 22);
        assertThat(jdbc.queryForObject("select count(*) from tracked_event where contact_id = ?::uuid and late",
                                       Long.class, contactId)).isEqualTo(1);
    }

    @Test
    void invalidEvents_are400NamingTheItem_andStoreNothing() {
        String user = unique("bad");
        String messageId = unique("never");
        String future = Instant.now().plus(Duration.ofHours(1)).toString();
        Map<String, String[]> cases = Map.of(
                "{\"batch\":[{\"userId\":\"%s\",\"event\":\"Ok\",\"messageId\":\"%s\"},{\"userId\":\"%s\",\"event\":\"F\",\"timestamp\":\"%s\"}]}"
                        .formatted(user, messageId, user, future),
                new String[]{"tracking.timestamp.in-future", "batch[1].timestamp"},
                "{\"batch\":[{\"userId\":\"%s\",\"messageId\":\"%s\"}]}".formatted(user, messageId),
                new String[]{"tracking.event.invalid", "batch[0].event"},
                "{\"batch\":[{\"event\":\"x\",\"messageId\":\"%s\"}]}".formatted(messageId),
                new String[]{"tracking.user-id.missing", "batch[0].userId"},
                "{\"batch\":[{\"userId\":\"u\",\"event\":\"x\",\"timestamp\":\"yesterday\"}]}",
                new String[]{"tracking.timestamp.invalid", "batch[0].timestamp"},
                "{\"batch\":[]}", new String[]{"tracking.batch.size", "batch"},
                "{\"batch\":[{\"userId\":\"u\",\"event\":\"x\",\"color\":\"red\"}]}",
                new String[]{"request.unknown-field", "batch[0].color"});
        cases.forEach((body, expected) -> {
            Response refused = api.post("/api/track/batch", body);
            assertThat(refused.status()).as(body + " -> " + refused).isEqualTo(400);
            assertThat(refused.json().get("code").asText()).as(body).isEqualTo(expected[0]);
            assertThat(refused.json().get("errors").get(0).get("field").asText()).as(body).isEqualTo(expected[1]);
        });
        assertThat(storedTracked(messageId)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from contact_identity where external_id = ?", Long.class,
                                       user)).isZero();

        StringBuilder tooMany = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 1001; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"userId\":\"u\",\"event\":\"x\"}");
        }
        Response refused = api.post("/api/track/batch", tooMany + "]}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("code").asText()).isEqualTo("tracking.batch.size");
    }

    @Test
    void identify_createsOrUpdatesTheContactWithTraits_andIsIdempotent() {
        String user = unique("ident");
        String email = unique("id") + "@example.com";
        String messageId = unique("idm");
        String body = """
                {"userId":"%s","traits":{"email":"%s","plan":"gold","address":{"city":"Lyon"}},"messageId":"%s"}"""
                .formatted(user, email, messageId);
        Response first = api.post("/api/identify", body);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(first.json().get("created").asBoolean()).isTrue();
        String contactId = first.json().get("contactId").asText();
        Response again = api.post("/api/identify", body);
        assertThat(again.json().get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(again.json().get("contactId").asText()).isEqualTo(contactId);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/contacts/" + contactId).status() == 200);
        JsonNode contact = api.get("/api/contacts/" + contactId).json();
        assertThat(contact.get("email").asText()).isEqualTo(email);
        assertThat(contact.get("attributes").get("plan").asText()).isEqualTo("gold");
        assertThat(contact.get("attributes").get("address.city").asText()).isEqualTo("Lyon");

        Response bad = api.post("/api/identify", "{\"userId\":\"%s\",\"traits\":{\"email\":\"nope\"}}".formatted(user));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("traits.email");
    }

    @Test
    void segmentHttpApi_acceptsSdkPayloadsWithTheWriteKeyAsBasicUsername() throws Exception {
        String writeKey = TestAuth.apiKey(new ApiClient(port), "events:write");
        String user = unique("seg");
        String now = Instant.now().toString();
        String batch = """
                {"batch":[
                  {"type":"identify","userId":"%s","traits":{"email":"%s@example.com","name":"Ada"},
                   "messageId":"%s-1","timestamp":"%s","context":{"library":{"name":"analytics.js"}}},
                  {"type":"track","userId":"%s","event":"Order Completed","properties":{"total":42},
                   "messageId":"%s-2","originalTimestamp":"%s","integrations":{"All":true},"_metadata":{}},
                  {"type":"page","userId":"%s","name":"Pricing","properties":{"path":"/pricing"},"messageId":"%s-3"},
                  {"type":"group","userId":"%s","groupId":"g1","traits":{}}
                ],"sentAt":"%s","context":{"ip":"127.0.0.1"}}"""
                .formatted(user, user, user, now, user, user, now, user, user, user, now);
        HttpResponse<String> response = segmentPost("/v1/batch", batch.getBytes(StandardCharsets.UTF_8), writeKey, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"success\":true");

        String contactId = jdbc.queryForObject("select contact_id::text from contact_identity where external_id = ?",
                                               String.class, user);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from tracked_event where contact_id = ?::uuid", Long.class, contactId) == 2);
        List<String> events = jdbc.queryForList("select event from tracked_event where contact_id = ?::uuid",
                                                String.class, contactId);
        assertThat(events).containsExactlyInAnyOrder("Order Completed", "Page Viewed");

        // gzip, and a repeat of a message already stored
        String track = "{\"userId\":\"%s\",\"event\":\"Order Completed\",\"messageId\":\"%s-2\"}".formatted(user, user);
        HttpResponse<String> gzipped = segmentPost("/v1/track", gzip(track), writeKey, true);
        assertThat(gzipped.statusCode()).as(gzipped.body()).isEqualTo(200);
        assertThat(storedTracked(user + "-2")).isEqualTo(1);

        HttpResponse<String> anonymous = segmentPost("/v1/track", track.getBytes(StandardCharsets.UTF_8), null, false);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> wrongKey = segmentPost("/v1/track", track.getBytes(StandardCharsets.UTF_8), "hk_nope", false);
        assertThat(wrongKey.statusCode()).isEqualTo(401);
    }

    private long trackedOf(String anonymousId, String contactId) {
        return contactId == null
                ? jdbc.queryForObject("select count(*) from tracked_event where anonymous_id = ? and contact_id is null",
                                      Long.class, anonymousId)
                : jdbc.queryForObject("select count(*) from tracked_event where anonymous_id = ? and contact_id = ?::uuid",
                                      Long.class, anonymousId, contactId);
    }

    @Test
    void anonymousVisitor_linkedByIdentify_earlierAndLaterEventsAreTheContacts() {
        String anonymousId = unique("anon");
        String event = unique("Viewed Pricing");
        String batch = "{\"batch\":[" + String.join(",", java.util.Collections.nCopies(
                3, "{\"anonymousId\":\"%s\",\"event\":\"%s\"}".formatted(anonymousId, event))) + "]}";
        Response anonymous = api.post("/api/track/batch", batch);
        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(200);
        assertThat(anonymous.json().get("results").get(0).has("contactId")).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> trackedOf(anonymousId, null) == 3);

        String user = unique("signed-in");
        Response identify = api.post("/api/identify", """
                {"userId":"%s","anonymousId":"%s","traits":{"email":"%s@example.com"}}""".formatted(user, anonymousId, user));
        assertThat(identify.status()).as(identify.toString()).isEqualTo(200);
        String contactId = identify.json().get("contactId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> trackedOf(anonymousId, contactId) == 3);

        // later events with only the anonymous id are attributed at once
        Response later = api.post("/api/track", "{\"anonymousId\":\"%s\",\"event\":\"%s\"}".formatted(anonymousId, event));
        assertThat(later.json().get("contactId").asText()).isEqualTo(contactId);
        await().atMost(Duration.ofSeconds(10)).until(() -> trackedOf(anonymousId, contactId) == 4);

        // the first link wins: another user naming the same anonymous id does not take the visitor
        String other = unique("other");
        Response second = api.post("/api/identify", "{\"userId\":\"%s\",\"anonymousId\":\"%s\"}".formatted(other, anonymousId));
        assertThat(second.status()).isEqualTo(200);
        assertThat(api.post("/api/track", "{\"anonymousId\":\"%s\",\"event\":\"x\"}".formatted(anonymousId))
                           .json().get("contactId").asText()).isEqualTo(contactId);

        // the contact's history shows the link and the visitor's events; segments count them
        await().atMost(Duration.ofSeconds(10)).until(() -> trackedOf(anonymousId, contactId) == 5);
        JsonNode timeline = api.get("/api/contacts/" + contactId + "/timeline").json().get("entries");
        List<String> types = new ArrayList<>();
        timeline.forEach(entry -> types.add(entry.get("type").asText()));
        assertThat(types).contains("ContactCreated", "ContactAnonymousIdLinked");
        assertThat(types.stream().filter("EventTracked"::equals).count()).isEqualTo(5);
        Response preview = api.post("/api/segments/preview", """
                {"rules":{"type":"behaviour","event":"%s","operator":"at_least","count":4,"withinLastDays":1}}"""
                .formatted(event));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.json().get("count").asLong()).isEqualTo(1);
        assertThat(preview.json().get("sample").get(0).get("id").asText()).isEqualTo(contactId);
    }

    @Test
    void anonymousEventsSentWhileTheVisitorSignsIn_allEndUpWithTheContact() throws Exception {
        String anonymousId = unique("race");
        String user = unique("racer");
        int threads = 8;
        int perThread = 15;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads + 1);
        try {
            List<java.util.concurrent.Future<Integer>> sends = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                sends.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        ok += api.post("/api/track", "{\"anonymousId\":\"%s\",\"event\":\"Browsed\"}"
                                .formatted(anonymousId)).status() == 200 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            Thread.sleep(100);
            Response identify = api.post("/api/identify", "{\"userId\":\"%s\",\"anonymousId\":\"%s\"}"
                    .formatted(user, anonymousId));
            assertThat(identify.status()).as(identify.toString()).isEqualTo(200);
            String contactId = identify.json().get("contactId").asText();
            int accepted = 0;
            for (var send : sends) {
                accepted += send.get();
            }
            assertThat(accepted).isEqualTo(threads * perThread);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(trackedOf(anonymousId, contactId)).isEqualTo(threads * perThread);
                assertThat(trackedOf(anonymousId, null)).isZero();
            });
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void segmentAlias_linksThePreviousIdToTheUser() throws Exception {
        String writeKey = TestAuth.apiKey(new ApiClient(port), "events:write");
        String anonymousId = unique("seg-anon");
        String user = unique("seg-user");
        String batch = """
                {"batch":[
                  {"type":"page","anonymousId":"%s","name":"Home"},
                  {"type":"alias","previousId":"%s","userId":"%s"}
                ]}""".formatted(anonymousId, anonymousId, user);
        HttpResponse<String> response = segmentPost("/v1/batch", batch.getBytes(StandardCharsets.UTF_8), writeKey, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String contactId = jdbc.queryForObject("select contact_id::text from contact_identity where external_id = ?",
                                               String.class, user);
        await().atMost(Duration.ofSeconds(10)).until(() -> trackedOf(anonymousId, contactId) == 1);

        HttpResponse<String> alias = segmentPost("/v1/alias", "{\"userId\":\"%s\",\"previousId\":\"%s\"}"
                .formatted(user, unique("another-device")).getBytes(StandardCharsets.UTF_8), writeKey, false);
        assertThat(alias.statusCode()).as(alias.body()).isEqualTo(200);
        HttpResponse<String> noPrevious = segmentPost("/v1/alias", "{\"userId\":\"%s\"}".formatted(user)
                .getBytes(StandardCharsets.UTF_8), writeKey, false);
        assertThat(noPrevious.statusCode()).isEqualTo(400);
        assertThat(noPrevious.body()).contains("tracking.previous-id.missing");
    }

    @Test
    void sameMessageIdFromConcurrentRequests_isStoredOnce_andEveryRequestSucceeds() throws Exception {
        String shared = unique("shared");
        String user = unique("concurrent");
        int threads = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        var start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<Response>> sends = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String own = shared + "-own-" + t;
                sends.add(pool.submit(() -> {
                    start.await();
                    return api.post("/api/track/batch", ("{\"batch\":[{\"userId\":\"%s\",\"event\":\"Paid\",\"messageId\":\"%s\"},"
                            + "{\"userId\":\"%s\",\"event\":\"Viewed\",\"messageId\":\"%s\"}]}")
                            .formatted(user, shared, user, own));
                }));
            }
            start.countDown();
            int sharedAccepted = 0;
            for (var send : sends) {
                Response response = send.get();
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                JsonNode results = response.json().get("results");
                sharedAccepted += "ACCEPTED".equals(results.get(0).get("status").asText()) ? 1 : 0;
                assertThat(results.get(1).get("status").asText()).isEqualTo("ACCEPTED");
            }
            assertThat(sharedAccepted).isEqualTo(1);
            assertThat(storedTracked(shared)).isEqualTo(1);
            for (int t = 0; t < threads; t++) {
                assertThat(storedTracked(shared + "-own-" + t)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void identifyMessageIds_olderThanTheRetention_areForgotten_byTheRecurringTask() {
        String old = unique("old");
        String recent = unique("recent");
        jdbc.update("insert into tracking_message (message_id, received_at) values (?, now() - interval '31 days'), (?, now())",
                    old, recent);
        var scheduler = context.getBean(com.github.kagkarlsson.scheduler.Scheduler.class);
        scheduler.reschedule(com.github.kagkarlsson.scheduler.task.TaskInstanceId.of("tracking-message-retention",
                                                                                    "recurring"), Instant.now());
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "select count(*) from tracking_message where message_id = ?", Long.class, old) == 0);
        assertThat(jdbc.queryForObject("select count(*) from tracking_message where message_id = ?", Long.class, recent))
                .isEqualTo(1);
        // a forgotten id is new again; a remembered one is still a duplicate
        String user = unique("retention");
        assertThat(api.post("/api/identify", "{\"userId\":\"%s\",\"traits\":{\"plan\":\"a\"},\"messageId\":\"%s\"}"
                .formatted(user, old)).json().get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(api.post("/api/identify", "{\"userId\":\"%s\",\"traits\":{\"plan\":\"b\"},\"messageId\":\"%s\"}"
                .formatted(user, recent)).json().get("status").asText()).isEqualTo("DUPLICATE");
        // a tracked event whose id was claimed before tracked events were keyed by their derived id is a duplicate too
        assertThat(api.post("/api/track", "{\"userId\":\"%s\",\"event\":\"E\",\"messageId\":\"%s\"}"
                .formatted(user, recent)).json().get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(storedTracked(recent)).isZero();
    }

    private HttpResponse<String> segmentPost(String path, byte[] body, String writeKey, boolean gzip)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (writeKey != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)));
        }
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
