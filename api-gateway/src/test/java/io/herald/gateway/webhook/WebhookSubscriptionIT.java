package io.herald.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outgoing webhook subscriptions end to end, on the real database, with real HTTP receivers (JDK HttpServer): the API
 * and its refusals, Standard Webhooks signatures checked by a verifier written here from the specification, retries
 * with a stable webhook-id, a dead endpoint not delaying a healthy one, replay from startFrom, secret rotation, test
 * events, redelivery, dead-lettering into the failure log, disabling a failing subscription, a restart that loses
 * nothing, and private addresses refused when the SSRF guard is on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookSubscriptionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SETTINGS = {
            "herald.delivery.allow-private-targets=true",
            "herald.webhooks.poll-interval=100ms",
            "herald.webhooks.retry-delays=500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms",
            "herald.webhooks.timeout=1s",
            "herald.webhooks.lease=2s",
            "herald.webhooks.disable-after=6s"};

    static String database;
    static HeraldInstance herald;
    static ApiClient api;
    static HookSink sink;

    @BeforeAll
    static void start() throws Exception {
        sink = new HookSink();
        database = TestDatabases.newDatabase();
        herald = HeraldInstance.start(database, SETTINGS);
        api = TestAuth.asAdmin(herald.api());
    }

    @AfterAll
    static void stop() {
        if (herald != null) {
            herald.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    // --- a verifier written from the Standard Webhooks specification, not from Herald's code

    static boolean verifies(String secret, HookSink.Hit hit) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(
                mac.doFinal((hit.id() + "." + hit.timestamp() + "." + hit.body()).getBytes(StandardCharsets.UTF_8)));
        for (String part : hit.signature().split(" ")) {
            if (part.startsWith("v1,") && java.security.MessageDigest.isEqual(
                    part.substring(3).getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    static Response subscribe(String path, String types, String extra) {
        Response created = api.post("/api/webhooks", "{\"url\":\"" + sink.url(path) + "\",\"eventTypes\":[" + types
                + "],\"description\":\"test " + path + "\"" + (extra == null ? "" : "," + extra) + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created;
    }

    static String contact() {
        Response created = api.post("/api/contacts", "{\"email\":\"w" + UUID.randomUUID().toString().substring(0, 12)
                + "@example.com\"}");
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        return created.json().get("id").asText();
    }

    static JsonNode body(HookSink.Hit hit) {
        try {
            return JSON.readTree(hit.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<HookSink.Hit> forContact(String path, String contactId) {
        return sink.at(path).stream().filter(h -> h.body().contains(contactId)).toList();
    }

    @Test
    @Order(1)
    void theApi_createsShowsTheSecretOnce_readsUpdatesWithIfMatch_andDeletes() {
        Response created = subscribe("/crud", "\"contact.created\",\"import.failed\"", null);
        JsonNode body = created.json();
        String id = body.get("id").asText();
        assertThat(body.get("secret").asText()).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(body.get("secret").asText().substring(6))).hasSize(32);
        assertThat(body.get("enabled").asBoolean()).isTrue();
        assertThat(created.header("Location")).endsWith("/api/webhooks/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"0\"");

        Response read = api.get("/api/webhooks/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).doesNotContain("secret").doesNotContain("whsec_");
        assertThat(api.get("/api/webhooks").body()).contains(id).doesNotContain("whsec_");

        String update = "{\"url\":\"" + sink.url("/crud") + "\",\"eventTypes\":[\"contact.created\"],\"enabled\":false}";
        Response updated = api.send("PUT", "/api/webhooks/" + id, update, "application/json", Map.of("If-Match", "\"0\""));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("enabled").asBoolean()).isFalse();
        assertThat(updated.header("ETag")).isEqualTo("\"1\"");
        Response stale = api.send("PUT", "/api/webhooks/" + id, update.replace("false", "true"), "application/json",
                                  Map.of("If-Match", "\"0\""));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().get("code").asText()).isEqualTo("precondition.failed");

        Response catalogue = api.get("/api/webhooks/event-types");
        assertThat(catalogue.status()).isEqualTo(200);
        Set<String> types = new HashSet<>();
        catalogue.json().get("items").forEach(t -> {
            types.add(t.get("type").asText());
            assertThat(t.get("version").asInt()).isEqualTo(1);
            assertThat(t.get("schema").get("type").asText()).isEqualTo("object");
        });
        assertThat(types).contains("campaign.launched", "campaign.completed", "campaign.failed", "delivery.failed",
                                   "contact.created", "contact.updated", "contact.unsubscribed", "import.completed",
                                   "import.failed", "flow.entered", "flow.exited", "flow.completed",
                                   "webhook.disabled", "webhook.test");

        assertThat(api.send("DELETE", "/api/webhooks/" + id, null, null, Map.of()).status()).isEqualTo(204);
        Response gone = api.get("/api/webhooks/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("code").asText()).isEqualTo("webhook.not-found");
        assertThat(api.get("/api/webhooks/not-a-uuid").status()).isEqualTo(404);
        assertThat(api.post("/api/webhooks/" + id + "/test", "{}").status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void badInput_isProblemJson() {
        Response badUrl = api.post("/api/webhooks", "{\"url\":\"ftp://x.example.com\",\"eventTypes\":[\"contact.created\"]}");
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.header("Content-Type")).startsWith("application/problem+json");
        assertThat(badUrl.json().get("code").asText()).isEqualTo("webhook.url.invalid");
        assertThat(badUrl.json().get("errors").get(0).get("field").asText()).isEqualTo("url");

        Response unknownType = api.post("/api/webhooks", "{\"url\":\"" + sink.url("/x")
                + "\",\"eventTypes\":[\"contact.created\",\"contact.exploded\"]}");
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.json().get("code").asText()).isEqualTo("webhook.event-type.unknown");
        assertThat(unknownType.json().get("errors").get(0).get("field").asText()).isEqualTo("eventTypes[1]");

        Response noTypes = api.post("/api/webhooks", "{\"url\":\"" + sink.url("/x") + "\",\"eventTypes\":[]}");
        assertThat(noTypes.status()).isEqualTo(400);
        Response unknownField = api.post("/api/webhooks", "{\"url\":\"" + sink.url("/x")
                + "\",\"eventTypes\":[\"contact.created\"],\"colour\":\"red\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        Response futureStart = api.post("/api/webhooks", "{\"url\":\"" + sink.url("/x")
                + "\",\"eventTypes\":[\"contact.created\"],\"startFrom\":\"" + Instant.now().plusSeconds(3600) + "\"}");
        assertThat(futureStart.status()).isEqualTo(400);
        assertThat(futureStart.json().get("code").asText()).isEqualTo("webhook.start-from.invalid");
        Response empty = api.post("/api/webhooks", "");
        assertThat(empty.status()).isEqualTo(400);
        // nothing of these was stored
        assertThat(api.get("/api/webhooks").body()).doesNotContain(sink.url("/x"));
    }

    @Test
    @Order(3)
    void aContactCreated_arrivesSignedTheStandardWebhooksWay() throws Exception {
        String secret = subscribe("/signed", "\"contact.created\"", null).json().get("secret").asText();
        String contactId = contact();
        await().atMost(Duration.ofSeconds(15)).until(() -> !forContact("/signed", contactId).isEmpty());
        HookSink.Hit hit = forContact("/signed", contactId).get(0);
        assertThat(hit.id()).startsWith("msg_");
        assertThat(Long.parseLong(hit.timestamp())).isBetween(Instant.now().getEpochSecond() - 30,
                                                               Instant.now().getEpochSecond() + 1);
        assertThat(hit.signature()).startsWith("v1,").doesNotContain(" ");
        assertThat(verifies(secret, hit)).isTrue();
        // a forged body does not verify
        assertThat(verifies(secret, new HookSink.Hit(hit.path(), hit.id(), hit.timestamp(), hit.signature(),
                                                     hit.body().replace(contactId, "someone-else"), 0))).isFalse();
        JsonNode message = body(hit);
        assertThat(message.get("type").asText()).isEqualTo("contact.created");
        assertThat(Instant.parse(message.get("timestamp").asText())).isBefore(Instant.now());
        assertThat(message.get("data").get("contactId").asText()).isEqualTo(contactId);
        assertThat(message.get("data").get("email").asText()).endsWith("@example.com");
    }

    @Test
    @Order(4)
    void a500_isRetried_withTheSameWebhookId_andEveryAttemptIsListed() {
        sink.answers.put("/flaky", n -> n == 1 ? new HookSink.Answer(500, 0, "try later") : new HookSink.Answer(200, 0,
                                                                                                              "thanks"));
        String id = subscribe("/flaky", "\"contact.created\"", null).json().get("id").asText();
        String contactId = contact();
        await().atMost(Duration.ofSeconds(15)).until(() -> forContact("/flaky", contactId).size() >= 2);
        List<HookSink.Hit> hits = forContact("/flaky", contactId);
        assertThat(hits.get(1).id()).isEqualTo(hits.get(0).id());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode delivery = api.get("/api/webhooks/" + id + "/deliveries").json().get("items").get(0);
            assertThat(delivery.get("id").asText()).isEqualTo(hits.get(0).id());
            assertThat(delivery.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
            JsonNode first = delivery.get("attemptLog").get(0);
            assertThat(first.get("attempt").asInt()).isEqualTo(1);
            assertThat(first.get("status").asText()).isEqualTo("FAILED");
            assertThat(first.get("responseCode").asInt()).isEqualTo(500);
            assertThat(first.get("responseBody").asText()).isEqualTo("try later");
            assertThat(first.get("nextAttemptAt").isNull()).isFalse();
            assertThat(first.get("durationMillis").asLong()).isGreaterThanOrEqualTo(0);
            JsonNode second = delivery.get("attemptLog").get(1);
            assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(second.get("responseCode").asInt()).isEqualTo(200);
            assertThat(second.get("responseBody").asText()).isEqualTo("thanks");
        });
    }

    @Test
    @Order(5)
    void aDeadEndpoint_doesNotDelayAHealthyOne() {
        // the dead endpoint holds every connection open for 30 s (Herald gives up after its 1 s timeout and retries
        // 500 ms later): with one queue shared by the subscriptions, the healthy one's messages would wait behind
        // the dead one's (about 2 x 100 contacts' messages at a second each per slot), whatever the concurrency
        sink.answers.put("/dead", n -> new HookSink.Answer(200, 30_000, "late"));
        subscribe("/dead", "\"contact.created\"", null);
        subscribe("/healthy", "\"contact.created\"", null);
        List<String> contacts = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            contacts.add(contact());
        }
        long last = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(
                () -> contacts.stream().allMatch(c -> !forContact("/healthy", c).isEmpty()));
        long healthyDone = System.currentTimeMillis();
        assertThat(healthyDone - last).as("the healthy endpoint's last message after the last contact")
                .isLessThan(3_000);
        // ... while the dead one was being worked on at the same time (its requests held open for 30 s)
        assertThat(sink.at("/dead").stream().filter(h -> contacts.stream().anyMatch(h.body()::contains))
                           .mapToLong(HookSink.Hit::at).filter(at -> at <= healthyDone).count()).isGreaterThan(0);
        // and each healthy message went out promptly after its contact was created, not in a burst at the end
        assertThat(sink.at("/healthy").stream().filter(h -> contacts.stream().anyMatch(h.body()::contains))
                           .mapToLong(HookSink.Hit::at).min().orElseThrow())
                .isLessThan(last);
    }

    @Test
    @Order(6)
    void startFrom_replaysEventsStoredBeforeTheSubscription() throws Exception {
        Instant before = Instant.now().minusSeconds(2);
        String earlier = contact();
        Thread.sleep(300);
        String secret = subscribe("/replay", "\"contact.created\"", "\"startFrom\":\"" + before + "\"")
                .json().get("secret").asText();
        String later = contact();
        await().atMost(Duration.ofSeconds(20)).until(
                () -> !forContact("/replay", earlier).isEmpty() && !forContact("/replay", later).isEmpty());
        assertThat(verifies(secret, forContact("/replay", earlier).get(0))).isTrue();
        Thread.sleep(1000);
        assertThat(forContact("/replay", earlier)).hasSize(1);
    }

    @Test
    @Order(7)
    void rotation_signsWithBothSecretsForADay() throws Exception {
        Response created = subscribe("/rotate", "\"contact.created\"", null);
        String id = created.json().get("id").asText();
        String old = created.json().get("secret").asText();
        Response rotated = api.post("/api/webhooks/" + id + "/rotate-secret", "");
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String fresh = rotated.json().get("secret").asText();
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        Instant expires = Instant.parse(rotated.json().get("previousSecretExpiresAt").asText());
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
        String contactId = contact();
        await().atMost(Duration.ofSeconds(15)).until(() -> !forContact("/rotate", contactId).isEmpty());
        HookSink.Hit hit = forContact("/rotate", contactId).get(0);
        assertThat(hit.signature().split(" ")).hasSize(2);
        assertThat(verifies(fresh, hit)).isTrue();
        assertThat(verifies(old, hit)).isTrue();
        assertThat(verifies("whsec_" + Base64.getEncoder().encodeToString(new byte[32]), hit)).isFalse();
    }

    @Test
    @Order(8)
    void aTestEvent_andARedelivery_keepTheirWebhookId() throws Exception {
        Response created = subscribe("/test", "\"import.completed\"", null);
        String id = created.json().get("id").asText();
        Response test = api.post("/api/webhooks/" + id + "/test", "");
        assertThat(test.status()).isEqualTo(202);
        String deliveryId = test.json().get("deliveryId").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> sink.at("/test").size() == 1);
        HookSink.Hit hit = sink.at("/test").get(0);
        assertThat(hit.id()).isEqualTo(deliveryId);
        assertThat(body(hit).get("type").asText()).isEqualTo("webhook.test");
        assertThat(verifies(created.json().get("secret").asText(), hit)).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/api/webhooks/" + id + "/deliveries")
                .json().get("items").get(0).get("status").asText().equals("SUCCEEDED"));
        Response again = api.post("/api/webhooks/" + id + "/deliveries/" + deliveryId + "/redeliver", "");
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> sink.at("/test").size() == 2);
        assertThat(sink.at("/test").get(1).id()).isEqualTo(deliveryId);
        assertThat(api.post("/api/webhooks/" + id + "/deliveries/msg_nothing/redeliver", "").status()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void aMessageFailingEveryRetry_isDeadLettered_thenTheSubscriptionIsDisabledAndThatIsAnnounced() {
        subscribe("/watch", "\"webhook.disabled\"", null);
        // a path of its own: the subscription of aDeadEndpoint_doesNotDelayAHealthyOne (to /dead) may still be
        // enabled, and its messages for this contact would count here with another webhook-id
        sink.answers.put("/dead-letter", n -> new HookSink.Answer(503, 0, "down"));
        String id = subscribe("/dead-letter", "\"contact.created\"", null).json().get("id").asText();
        String contactId = contact();
        // 1 attempt + 8 retries 500 ms apart, then FAILED and in the failure log with its source
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/webhooks/" + id + "/deliveries?status=FAILED")
                .json().get("items").size() == 1);
        assertThat(forContact("/dead-letter", contactId)).hasSize(9);
        assertThat(forContact("/dead-letter", contactId).stream().map(HookSink.Hit::id).distinct().count()).isEqualTo(1);
        JsonNode failures = api.get("/api/failures?limit=50").json().get("items");
        boolean logged = false;
        for (JsonNode f : failures) {
            logged |= "webhook".equals(f.path("source").asText()) && id.equals(f.path("webhookSubscriptionId").asText())
                    && "webhook-dead-lettered".equals(f.path("reason").asText());
        }
        assertThat(logged).as(failures.toString()).isTrue();

        // redeliver-failed sends it again (it fails again: 503) ...
        Response redeliver = api.post("/api/webhooks/" + id + "/redeliver-failed", "");
        assertThat(redeliver.status()).isEqualTo(202);
        assertThat(redeliver.json().get("redelivered").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> forContact("/dead-letter", contactId).size() >= 10);

        // ... and an attempt failing 6 s (disable-after) after the first failure disables it; the others are told
        await().atMost(Duration.ofSeconds(30)).until(() -> !api.get("/api/webhooks/" + id).json()
                .get("enabled").asBoolean());
        assertThat(api.get("/api/webhooks/" + id).json().get("disabledReason").asText()).contains("failed");
        await().atMost(Duration.ofSeconds(15)).until(() -> sink.at("/watch").stream()
                .anyMatch(h -> h.body().contains(id) && h.body().contains("\"webhook.disabled\"")));
        assertThat(sink.at("/dead-letter").stream().anyMatch(h -> h.body().contains("\"webhook.disabled\""))).isFalse();
    }

    @Test
    @Order(10)
    void aRestart_losesNothing_andResendsWithTheSameWebhookId() throws Exception {
        sink.answers.put("/restart", n -> new HookSink.Answer(500, 0, "not yet"));
        subscribe("/restart", "\"contact.created\"", null);
        List<String> contacts = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            contacts.add(contact());
        }
        await().atMost(Duration.ofSeconds(15)).until(
                () -> contacts.stream().allMatch(c -> !forContact("/restart", c).isEmpty()));
        herald.close();
        herald = null;
        sink.answers.put("/restart", n -> new HookSink.Answer(200, 0, "ok"));
        herald = HeraldInstance.start(database, SETTINGS);
        api = TestAuth.asAdmin(herald.api());
        String afterRestart = contact();
        contacts.add(afterRestart);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JdbcTemplate jdbc = new JdbcTemplate(herald.bean(DataSource.class));
            for (String c : contacts) {
                assertThat(forContact("/restart", c)).as(c).isNotEmpty();
                assertThat(forContact("/restart", c).stream().map(HookSink.Hit::id).distinct().count()).isEqualTo(1);
            }
            assertThat(jdbc.queryForObject("select count(*) from webhook_message m join webhook_endpoint e "
                                                   + "using (subscription_id) where e.url = ? and m.status = 'SUCCEEDED'",
                                           Long.class, sink.url("/restart"))).isEqualTo(6L);
        });
    }

    @Test
    @Order(11)
    void privateTargets_areRefused_unlessAllowed() {
        HeraldInstance guarded = HeraldInstance.start(database, "herald.webhooks.sender-enabled=false");
        try {
            ApiClient admin = TestAuth.asAdmin(guarded.api());
            Response refused = admin.post("/api/webhooks", "{\"url\":\"" + sink.url("/private")
                    + "\",\"eventTypes\":[\"contact.created\"]}");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
            assertThat(refused.json().get("code").asText()).isEqualTo("webhook.url-refused");
            assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("url");
        } finally {
            guarded.close();
        }
    }

    @Test
    @Order(12)
    void flowRuns_enteringAndCompleting_areSent() throws Exception {
        String secret = subscribe("/flows", "\"flow.entered\",\"flow.completed\",\"flow.exited\"", null)
                .json().get("secret").asText();
        Response flow = api.post("/api/flows", "{\"name\":\"Webhook flow\",\"definition\":{"
                + "\"trigger\":{\"type\":\"event\",\"event\":\"Never Tracked\"},"
                + "\"nodes\":[{\"type\":\"entry\",\"id\":\"start\",\"next\":\"done\"},"
                + "{\"type\":\"exit\",\"id\":\"done\"}]}}");
        assertThat(flow.status()).as(flow.toString()).isEqualTo(201);
        String flowId = flow.json().get("id").asText();
        assertThat(api.post("/api/flows/" + flowId + "/publish", "").status()).isEqualTo(200);
        assertThat(api.post("/api/flows/" + flowId + "/activate", "").status()).isEqualTo(200);
        String contactId = contact();
        Response entered = api.post("/api/flows/" + flowId + "/entries", "{\"contacts\":[{\"contactId\":\""
                + contactId + "\"}]}");
        assertThat(entered.status()).as(entered.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.at("/flows").stream().map(h -> body(h).get("type").asText())
                .toList().containsAll(List.of("flow.entered", "flow.completed")));
        for (HookSink.Hit hit : sink.at("/flows")) {
            JsonNode data = body(hit).get("data");
            assertThat(data.get("flowId").asText()).isEqualTo(flowId);
            assertThat(data.get("contactId").asText()).isEqualTo(contactId);
            assertThat(data.get("flowVersion").asInt()).isEqualTo(1);
            assertThat(verifies(secret, hit)).isTrue();
        }
        assertThat(sink.at("/flows")).hasSize(2);
    }

    @Test
    @Order(13)
    void aCampaignOnAChannelWithoutSettings_isAnnouncedAsFailed_andItsFailuresComeBatchedPerMinute() throws Exception {
        String secret = subscribe("/campaigns", "\"campaign.launched\",\"campaign.failed\",\"delivery.failed\"", null)
                .json().get("secret").asText();
        for (int i = 0; i < 3; i++) {
            Response c = api.post("/api/contacts", "{\"email\":\"cf" + i + "-" + UUID.randomUUID().toString().substring(0, 8)
                    + "@example.com\",\"attributes\":{\"webhookTest\":\"cf\"}}");
            assertThat(c.status()).as(c.toString()).isIn(200, 201);
        }
        Response segment = api.post("/api/segments", "{\"name\":\"Webhook cf\",\"rules\":{\"type\":\"attribute\","
                + "\"attribute\":\"webhookTest\",\"operator\":\"eq\",\"value\":\"cf\"}}");
        assertThat(segment.status()).as(segment.toString()).isEqualTo(201);
        // no SMTP server is configured in this test: every e-mail send fails with channel-not-configured
        Response campaign = api.post("/api/campaigns", "{\"name\":\"No SMTP\",\"channel\":\"EMAIL\",\"segmentId\":\""
                + segment.json().get("id").asText() + "\",\"content\":{\"subject\":\"Hi\",\"body\":\"Hello\"}}");
        assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
        String campaignId = campaign.json().get("id").asText();
        assertThat(api.post("/api/campaigns/" + campaignId + "/launch", "").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> sink.at("/campaigns").stream()
                .anyMatch(h -> "campaign.failed".equals(body(h).get("type").asText())));
        HookSink.Hit failed = sink.at("/campaigns").stream()
                .filter(h -> "campaign.failed".equals(body(h).get("type").asText())).findFirst().orElseThrow();
        assertThat(body(failed).get("data").get("campaignId").asText()).isEqualTo(campaignId);
        assertThat(body(failed).get("data").get("reason").asText()).isEqualTo("channel-not-configured");
        assertThat(verifies(secret, failed)).isTrue();
        assertThat(sink.at("/campaigns").stream().anyMatch(h -> "campaign.launched".equals(body(h).get("type").asText())
                && h.body().contains(campaignId))).isTrue();

        // the three final failures: one delivery.failed message once their minute is over
        await().atMost(Duration.ofSeconds(90)).until(() -> sink.at("/campaigns").stream()
                .anyMatch(h -> "delivery.failed".equals(body(h).get("type").asText())));
        List<JsonNode> batches = sink.at("/campaigns").stream().map(WebhookSubscriptionIT::body)
                .filter(b -> "delivery.failed".equals(b.get("type").asText())).toList();
        Thread.sleep(1500);
        int total = 0;
        for (JsonNode b : sink.at("/campaigns").stream().map(WebhookSubscriptionIT::body)
                .filter(b -> "delivery.failed".equals(b.get("type").asText())).toList()) {
            assertThat(b.get("data").get("campaignId").asText()).isEqualTo(campaignId);
            assertThat(b.get("data").get("count").asInt()).isEqualTo(b.get("data").get("failures").size());
            total += b.get("data").get("count").asInt();
        }
        assertThat(batches).isNotEmpty();
        // all in one minute, unless the sends straddled a minute boundary
        assertThat(total).isEqualTo(3);
        assertThat(sink.at("/campaigns").stream().filter(h -> "campaign.failed".equals(body(h).get("type").asText())))
                .hasSize(1);
    }
}
