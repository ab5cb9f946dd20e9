package io.herald.gateway.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import io.herald.eventstore.support.TestDatabases;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Campaign sends end to end on one instance with a delivery worker: a real HTTP sink for webhooks
 * and the SMS provider, GreenMail for e-mail, the real database.
 */
class DeliveryIT {

    static HeraldInstance herald;
    static ApiClient api;
    static WebhookSink sink;
    static GreenMail mail;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        sink = new WebhookSink();
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                      "herald.delivery.allow-private-targets=true",
                                      "herald.delivery.retry.initial-backoff=200ms",
                                      "herald.delivery.retry.max-attempts=3",
                                      "herald.delivery.worker.poll-interval=100ms",
                                      "herald.delivery.worker.heartbeat=500ms",
                                      "herald.delivery.worker.lease=3s",
                                      "herald.delivery.webhook.signing-secret=test-signing-secret",
                                      "herald.delivery.sms.base-url=" + sink.url("/sms"),
                                      "herald.delivery.sms.account-sid=AC123",
                                      "herald.delivery.sms.auth-token=token",
                                      "herald.delivery.sms.from=+15550001111",
                                      "spring.mail.host=127.0.0.1",
                                      "spring.mail.port=" + mail.getSmtp().getPort());
        api = TestAuth.asAdmin(herald.api());
        jdbc = new JdbcTemplate(herald.bean(DataSource.class));
    }

    @AfterAll
    static void stop() {
        if (herald != null) {
            herald.close();
        }
        sink.close();
        mail.stop();
    }

    /** Creates {@code count} contacts in a fresh audience; returns the audience value and the contact ids. */
    private static List<String> contacts(String audience, int count, Map<String, String> consent) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String consentJson = consent.isEmpty() ? "" : ",\"consent\":{" + consent.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"").collect(Collectors.joining(",")) + "}";
            var created = api.post("/api/contacts", "{\"email\":\"c" + UUID.randomUUID().toString().substring(0, 13) + "@example.com\","
                    + "\"phone\":\"+336123" + String.format("%05d", i) + "\",\"attributes\":{\"audience\":\""
                    + audience + "\",\"first_name\":\"N" + i + "\"}" + consentJson + "}");
            assertThat(created.status()).as(created.toString()).isIn(200, 201);
            ids.add(created.json().get("id").asText());
        }
        return ids;
    }

    private static String campaign(String audience, String channel, String content, Integer throttle) {
        String segment = CampaignApiITSupport.segment(api, audience);
        var created = api.post("/api/campaigns", "{\"name\":\"Send " + audience + "\",\"channel\":\"" + channel
                + "\",\"content\":" + content + ",\"segmentId\":\"" + segment + "\""
                + (throttle == null ? "" : ",\"throttlePerSecond\":" + throttle) + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static String webhookContent(String path) {
        return "{\"url\":\"" + sink.url(path) + "\",\"payload\":\"{\\\"hello\\\":\\\"{{ first_name }}\\\","
                + "\\\"id\\\":\\\"{{ id }}\\\"}\"}";
    }

    private static JsonNode awaitStatus(String campaign, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                api.get("/api/campaigns/" + campaign).json().get("status").asText()).isEqualTo(status));
        return api.get("/api/campaigns/" + campaign + "/progress").json();
    }

    private static List<JsonNode> deliveries(String campaign) {
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = api.get("/api/campaigns/" + campaign + "/deliveries?limit=500"
                                            + (after == null ? "" : "&after=" + after)).json();
            page.get("items").forEach(all::add);
            after = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (after != null);
        return all;
    }

    @Test
    void webhookCampaign_sendsEveryReachableContactOnce_skipsTheUnsubscribed_andCompletesWithTotals() throws Exception {
        String audience = "wh-" + UUID.randomUUID();
        List<String> reachable = contacts(audience, 40, Map.of());
        List<String> unsubscribed = contacts(audience + "-x", 0, Map.of()); // none; consent below
        List<String> optedOut = contacts(audience, 3, Map.of("WEBHOOK", "UNSUBSCRIBED"));
        String path = "/hooks/" + audience;
        String campaign = campaign(audience, "WEBHOOK", webhookContent(path), null);

        // the live stream, opened before the launch: progress events until the run is DONE, then it ends
        List<String> streamed = new java.util.concurrent.CopyOnWriteArrayList<>();
        var stream = java.net.http.HttpClient.newHttpClient().sendAsync(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/api/campaigns/" + campaign
                                                                          + "/progress/stream"))
                        .header("Authorization", api.defaultHeader("Authorization"))
                        .header("Accept", "text/event-stream").build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().filter(line -> line.startsWith("data:")).forEach(streamed::add));
        await().atMost(Duration.ofSeconds(10)).until(() -> !streamed.isEmpty());

        var launched = api.post("/api/campaigns/" + campaign + "/launch", null);
        assertThat(launched.status()).as(launched.toString()).isEqualTo(200);
        JsonNode progress = awaitStatus(campaign, "COMPLETED");
        stream.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(streamed.size()).as("progress events").isGreaterThanOrEqualTo(2);
        assertThat(streamed.get(0)).contains("\"state\":\"NOT_STARTED\"").doesNotContain("\"percent\":100");
        assertThat(streamed.get(streamed.size() - 1)).contains("\"state\":\"DONE\"").contains("\"percent\":100.0");

        assertThat(progress.get("audience").asLong()).isEqualTo(43);
        assertThat(progress.get("sent").asLong()).isEqualTo(40);
        assertThat(progress.get("skipped").asLong()).isEqualTo(3);
        assertThat(progress.get("failed").asLong()).isZero();
        assertThat(progress.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(progress.get("state").asText()).isEqualTo("DONE");

        var received = sink.received.stream().filter(r -> r.path().equals(path)).toList();
        assertThat(received).hasSize(40);
        assertThat(received.stream().map(WebhookSink.Received::idempotencyKey))
                .containsExactlyInAnyOrderElementsOf(reachable.stream().map(id -> campaign + ":" + id).toList());
        WebhookSink.Received first = received.get(0);
        String t = first.signature().split(",")[0].substring(2);
        assertThat(first.signature()).isEqualTo(io.herald.gateway.delivery.Signatures.webhook(
                "test-signing-secret", Long.parseLong(t), first.body()));
        assertThat(first.body()).matches("\\{\"hello\":\"N\\d+\",\"id\":\"[0-9a-f-]{36}\"}");

        List<JsonNode> records = deliveries(campaign);
        assertThat(records).hasSize(43);
        assertThat(records.stream().filter(r -> r.get("status").asText().equals("SKIPPED"))
                           .map(r -> r.get("contactId").asText()))
                .containsExactlyInAnyOrderElementsOf(optedOut);
        assertThat(records.stream().filter(r -> r.get("status").asText().equals("SKIPPED"))
                           .map(r -> r.get("reason").asText())).containsOnly("unsubscribed");
        assertThat(api.get("/api/campaigns/" + campaign + "/deliveries?status=SENT&limit=500").json().get("items"))
                .hasSize(40);

        JsonNode history = api.get("/api/campaigns/" + campaign + "/history").json().get("events");
        List<String> types = new ArrayList<>();
        history.forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsSubsequence("CampaignLaunched", "CampaignAudienceFrozen", "CampaignCompleted");
        JsonNode completed = history.get(history.size() - 1).get("payload").get("totals");
        assertThat(completed.get("sent").asLong()).isEqualTo(40);
        assertThat(completed.get("skipped").asLong()).isEqualTo(3);
        assertThat(unsubscribed).isEmpty();

        JsonNode stats = api.get("/api/stats/deliveries?days=14").json();
        assertThat(stats.get("days")).hasSize(14);
        assertThat(stats.get("sentToday").asLong()).isGreaterThanOrEqualTo(40);
        assertThat(stats.get("days").get(13).get("sent").asLong()).isEqualTo(stats.get("sentToday").asLong());
        assertThat(api.get("/api/stats/deliveries?days=0").status()).isEqualTo(400);

        JsonNode timeline = api.get("/api/contacts/" + optedOut.get(0) + "/timeline").json();
        assertThat(timeline.get("deliveries").get(0).get("campaignId").asText()).isEqualTo(campaign);
        assertThat(timeline.get("deliveries").get(0).get("status").asText()).isEqualTo("SKIPPED");
    }

    @Test
    void transientFailuresAreRetried_permanentOnesAreNot_andBothAreInTheFailureLog() {
        String audience = "retry-" + UUID.randomUUID();
        List<String> ids = contacts(audience, 6, Map.of());
        String path = "/flaky/" + audience;
        String campaign = campaign(audience, "WEBHOOK", webhookContent(path), null);
        String rejected = campaign + ":" + ids.get(0);
        String flaky = campaign + ":" + ids.get(1);
        String down = campaign + ":" + ids.get(2);
        sink.status = (key, seen) -> key == null ? 200 : key.equals(rejected) ? 400
                : key.equals(flaky) && seen == 1 ? 503 : key.equals(down) ? 503 : 200;
        try {
            api.post("/api/campaigns/" + campaign + "/launch", null);
            JsonNode progress = awaitStatus(campaign, "COMPLETED");
            assertThat(progress.get("sent").asLong()).isEqualTo(4);
            assertThat(progress.get("failed").asLong()).isEqualTo(2);
        } finally {
            sink.status = (key, seen) -> 200;
        }
        assertThat(sink.perKey.get(rejected).get()).isEqualTo(1);
        assertThat(sink.perKey.get(flaky).get()).isEqualTo(2);
        assertThat(sink.perKey.get(down).get()).isEqualTo(3); // max-attempts

        JsonNode failures = api.get("/api/failures?campaignId=" + campaign).json().get("items");
        List<String> entries = new ArrayList<>();
        failures.forEach(f -> entries.add(f.get("contactId").asText() + "/" + f.get("outcome").asText() + "/"
                                                  + f.get("reason").asText()));
        assertThat(entries).containsExactlyInAnyOrder(
                ids.get(0) + "/FAILED/rejected",
                ids.get(1) + "/RETRY_SCHEDULED/transient",
                ids.get(2) + "/RETRY_SCHEDULED/transient", ids.get(2) + "/RETRY_SCHEDULED/transient",
                ids.get(2) + "/FAILED/retries-exhausted");
        assertThat(api.get("/api/failures?reason=rejected&channel=WEBHOOK").json().get("items").toString())
                .contains(ids.get(0));
        assertThat(api.get("/api/failures?channel=bogus").status()).isEqualTo(400);
        assertThat(api.get("/api/campaigns/" + campaign + "/deliveries?status=nope").status()).isEqualTo(400);
        assertThat(api.get("/api/campaigns/" + UUID.randomUUID() + "/progress").status()).isEqualTo(404);
    }

    @Test
    void pauseStopsSendsWithinTwoSeconds_resumeContinuesWhereItStopped_noneTwice() throws Exception {
        String audience = "pause-" + UUID.randomUUID();
        contacts(audience, 60, Map.of());
        String path = "/paced/" + audience;
        String campaign = campaign(audience, "WEBHOOK", webhookContent(path), 15);
        api.post("/api/campaigns/" + campaign + "/launch", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.received.stream()
                .filter(r -> r.path().equals(path)).count() >= 10);
        var paused = api.post("/api/campaigns/" + campaign + "/pause", null);
        assertThat(paused.status()).isEqualTo(200);
        long pausedAt = System.currentTimeMillis();
        Thread.sleep(3_000);
        long lateSends = sink.received.stream().filter(r -> r.path().equals(path) && r.at() > pausedAt + 2_000).count();
        assertThat(lateSends).as("sends later than 2 s after the pause").isZero();
        long sentWhilePaused = sink.received.stream().filter(r -> r.path().equals(path)).count();
        assertThat(sentWhilePaused).isLessThan(60);
        JsonNode progress = api.get("/api/campaigns/" + campaign + "/progress").json();
        assertThat(progress.get("state").asText()).isEqualTo("PAUSED");

        api.post("/api/campaigns/" + campaign + "/resume", null);
        awaitStatus(campaign, "COMPLETED");
        var received = sink.received.stream().filter(r -> r.path().equals(path)).toList();
        assertThat(received).hasSize(60);
        assertThat(received.stream().map(WebhookSink.Received::idempotencyKey).distinct()).hasSize(60);
    }

    /**
     * Event streams deliver at least once: the send saga may see a batch event again. A batch event whose
     * counts alone add up to the whole audience arrives while the send is a quarter done; the campaign
     * still completes only when every recipient was sent, with the run's own totals.
     */
    @Test
    void batchEventsSeenTwice_neverCompleteACampaignEarly_orCutItsSendShort() {
        String audience = "twice-" + UUID.randomUUID();
        contacts(audience, 20, Map.of());
        String path = "/twice/" + audience;
        String campaign = campaign(audience, "WEBHOOK", webhookContent(path), 5);
        api.post("/api/campaigns/" + campaign + "/launch", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.received.stream()
                .filter(r -> r.path().equals(path)).count() >= 5);
        herald.bean(org.axonframework.eventhandling.EventBus.class).publish(
                org.axonframework.eventhandling.GenericEventMessage.asEventMessage(
                        new io.herald.api.delivery.DeliveryBatchRecordedEvent(campaign, "worker-replayed",
                                                                              java.time.Instant.now(), 20, 0, 0, 0,
                                                                              List.of())));

        JsonNode progress = awaitStatus(campaign, "COMPLETED");
        var received = sink.received.stream().filter(r -> r.path().equals(path)).toList();
        assertThat(received.stream().map(WebhookSink.Received::idempotencyKey).distinct()).hasSize(20);
        assertThat(progress.get("sent").asLong()).isEqualTo(20);
        assertThat(progress.get("remaining").asLong()).isZero();
        assertThat(deliveries(campaign)).hasSize(20).allSatisfy(d -> assertThat(d.get("status").asText())
                .isEqualTo("SENT"));
    }

    @Test
    void cancelStopsTheSend_andRecordsTheRestAsSkippedCancelled() {
        String audience = "cancel-" + UUID.randomUUID();
        contacts(audience, 40, Map.of());
        String path = "/slow/" + audience;
        String campaign = campaign(audience, "WEBHOOK", webhookContent(path), 5);
        api.post("/api/campaigns/" + campaign + "/launch", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.received.stream()
                .filter(r -> r.path().equals(path)).count() >= 3);
        assertThat(api.post("/api/campaigns/" + campaign + "/cancel", "{\"reason\":\"wrong audience\"}").status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                api.get("/api/campaigns/" + campaign + "/progress").json().get("state").asText()).isEqualTo("DONE"));
        long sent = sink.received.stream().filter(r -> r.path().equals(path)).count();
        List<JsonNode> records = deliveries(campaign);
        assertThat(records).hasSize(40);
        assertThat(records.stream().filter(r -> r.get("status").asText().equals("SENT")).count()).isEqualTo(sent);
        assertThat(records.stream().filter(r -> r.get("status").asText().equals("SKIPPED"))
                           .map(r -> r.get("reason").asText())).containsOnly("cancelled").hasSize((int) (40 - sent));
    }

    @Test
    void emailCampaign_toGreenMail_withUnsubscribeHeaders_andSmsThroughTheProvider() throws Exception {
        String audience = "mail-" + UUID.randomUUID();
        contacts(audience, 5, Map.of());
        contacts(audience, 1, Map.of("EMAIL", "BOUNCED"));
        String email = campaign(audience, "EMAIL", "{\"subject\":\"Hi {{ first_name }}\",\"body\":\"Text for {{ email }}\","
                + "\"html\":\"<p>Hello {{ first_name }}</p>\"}", null);
        int before = mail.getReceivedMessages().length;
        api.post("/api/campaigns/" + email + "/launch", null);
        JsonNode progress = awaitStatus(email, "COMPLETED");
        assertThat(progress.get("sent").asLong()).isEqualTo(5);
        assertThat(progress.get("skipped").asLong()).isEqualTo(1);
        MimeMessage[] messages = mail.getReceivedMessages();
        assertThat(messages.length - before).isEqualTo(5);
        MimeMessage last = messages[messages.length - 1];
        assertThat(last.getSubject()).matches("Hi N\\d");
        assertThat(last.getHeader("List-Unsubscribe")[0]).contains("/unsubscribe/");
        assertThat(last.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");

        String sms = campaign(audience, "SMS", "{\"body\":\"Hi {{ first_name }}\"}", null);
        api.post("/api/campaigns/" + sms + "/launch", null);
        progress = awaitStatus(sms, "COMPLETED");
        assertThat(progress.get("sent").asLong()).isEqualTo(6);
        assertThat(sink.received.stream().filter(r -> r.path().equals("/sms/Accounts/AC123/Messages.json")
                && r.idempotencyKey().startsWith(sms)).count()).isEqualTo(6);
        JsonNode delivered = api.get("/api/campaigns/" + sms + "/deliveries?status=SENT").json().get("items").get(0);
        assertThat(delivered.get("providerMessageId").asText()).startsWith("SM");
    }

    @Test
    void aDeadWorkersSends_areSentAgainOnWebhooks_andBecomeUnknownOnEmail_neverRepeated() {
        String audience = "dead-" + UUID.randomUUID();
        List<String> ids = contacts(audience, 4, Map.of());
        // two campaigns, paused at once so that nothing is sent; then a worker "dies" holding two recipients of each
        String hook = campaign(audience, "WEBHOOK", webhookContent("/dead/" + audience), null);
        String email = campaign(audience, "EMAIL", "{\"subject\":\"s\",\"body\":\"b\"}", null);
        for (String campaign : List.of(hook, email)) {
            api.post("/api/campaigns/" + campaign + "/launch", null);
            api.post("/api/campaigns/" + campaign + "/pause", null);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from delivery where campaign_id in (?, ?)", Integer.class, hook, email)).isEqualTo(8));
        // the pause may let a first group through; take recipients still PENDING
        jdbc.update("insert into herald_worker (worker_id, kind, host, process_id, started_at, heartbeat_at, expires_at) "
                            + "values ('worker-dead', 'delivery', 'gone', 'gone', now() - interval '1 hour', "
                            + "now() - interval '1 hour', now() - interval '1 hour')");
        int taken = jdbc.update("update delivery set status = 'SENDING', worker_id = 'worker-dead', attempts = 1 "
                                        + "where campaign_id in (?, ?) and status = 'PENDING'", hook, email);
        assertThat(taken).isPositive();
        List<String> unknownExpected = jdbc.queryForList(
                "select contact_id::text from delivery where campaign_id = ? and worker_id = 'worker-dead'",
                String.class, email);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from delivery where worker_id = 'worker-dead'", Integer.class)).isZero());
        for (String campaign : List.of(hook, email)) {
            api.post("/api/campaigns/" + campaign + "/resume", null);
        }
        awaitStatus(hook, "COMPLETED");
        JsonNode emailProgress = awaitStatus(email, "COMPLETED");
        assertThat(emailProgress.get("unknown").asLong()).isEqualTo(unknownExpected.size());
        List<JsonNode> emailRecords = deliveries(email);
        assertThat(emailRecords.stream().filter(r -> r.get("status").asText().equals("UNKNOWN"))
                           .map(r -> r.get("contactId").asText())).containsExactlyInAnyOrderElementsOf(unknownExpected);
        // webhooks: every recipient once at least, the re-sent ones with the same key
        assertThat(deliveries(hook).stream().map(r -> r.get("status").asText())).containsOnly("SENT");
        assertThat(sink.received.stream().filter(r -> r.path().equals("/dead/" + audience))
                           .map(WebhookSink.Received::idempotencyKey).distinct())
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> hook + ":" + id).toList());
        JsonNode failures = api.get("/api/failures?reason=worker-lost&campaignId=" + email).json().get("items");
        assertThat(failures).hasSize(unknownExpected.size());
        assertThat(failures.get(0).get("outcome").asText()).isEqualTo("UNKNOWN");
    }
}
