package io.herald.gateway.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
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

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A campaign whose run cannot go on becomes FAILED (issue 17), on the real database with a real HTTP receiver for the
 * webhooks: no SMTP server is configured here, so an e-mail campaign fails with {@code channel-not-configured}; a
 * campaign whose segment is gone when its audience is frozen fails with {@code segment-deleted}. Each shows in the
 * read model, the API and the history, refuses every further move with 409, stops its run, and is announced once per
 * subscription as {@code campaign.failed}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampaignFailureIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One sender, batches of 2: the first batch finds the channel missing, the rest of the audience is never claimed. */
    private static final String[] SETTINGS = {
            "herald.delivery.allow-private-targets=true",
            "herald.delivery.worker.senders=1",
            "herald.delivery.worker.batch-size=2",
            "herald.webhooks.poll-interval=100ms"};

    static String database;
    static HeraldInstance herald;
    static ApiClient api;
    static HttpServer sink;
    static final List<String[]> hits = new CopyOnWriteArrayList<>(); // path, body
    /** The campaigns the first two tests failed (channel, segment), for the rebuild. */
    static String noSmtp;
    static String noSegment;

    @BeforeAll
    static void start() throws Exception {
        sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        sink.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        sink.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                hits.add(new String[] {exchange.getRequestURI().getPath(),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)});
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        sink.start();
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
            sink.stop(0);
        }
    }

    private static String subscribe(String path, String extra) {
        Response created = api.post("/api/webhooks", "{\"url\":\"http://127.0.0.1:" + sink.getAddress().getPort() + path
                + "\",\"eventTypes\":[\"campaign.failed\",\"campaign.completed\"]" + extra + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static List<JsonNode> failedMessages(String path, String campaignId) {
        return hits.stream().filter(h -> h[0].equals(path)).map(h -> read(h[1]))
                .filter(b -> "campaign.failed".equals(b.get("type").asText())
                        && campaignId.equals(b.get("data").get("campaignId").asText()))
                .toList();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A segment of {@code count} new contacts with e-mail addresses; its id. */
    private static String segmentOf(int count) {
        String tag = "cf-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < count; i++) {
            Response c = api.post("/api/contacts", "{\"email\":\"" + tag + "-" + i + "@example.com\","
                    + "\"attributes\":{\"failTest\":\"" + tag + "\"}}");
            assertThat(c.status()).as(c.toString()).isIn(200, 201);
        }
        Response segment = api.post("/api/segments", "{\"name\":\"Failing " + tag + "\",\"rules\":{\"type\":\"attribute\","
                + "\"attribute\":\"failTest\",\"operator\":\"eq\",\"value\":\"" + tag + "\"}}");
        assertThat(segment.status()).as(segment.toString()).isEqualTo(201);
        return segment.json().get("id").asText();
    }

    private static String emailCampaign(String segmentId) {
        Response campaign = api.post("/api/campaigns", "{\"name\":\"No SMTP " + UUID.randomUUID() + "\",\"channel\":"
                + "\"EMAIL\",\"segmentId\":\"" + segmentId + "\",\"content\":{\"subject\":\"Hi\",\"body\":\"Hello\"}}");
        assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
        return campaign.json().get("id").asText();
    }

    private static JsonNode awaitFailed(String campaignId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "FAILED".equals(api.get("/api/campaigns/" + campaignId).json().get("status").asText()));
        return api.get("/api/campaigns/" + campaignId).json();
    }

    private static void assertRefusesEveryMove(String campaignId) {
        for (String action : List.of("resume", "pause", "launch", "cancel")) {
            Response refused = api.post("/api/campaigns/" + campaignId + "/" + action, null);
            assertThat(refused.status()).as(action + ": " + refused).isEqualTo(409);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("code").asText()).isEqualTo("campaign.illegal-transition");
            assertThat(refused.json().get("currentStatus").asText()).isEqualTo("FAILED");
        }
        Response schedule = api.post("/api/campaigns/" + campaignId + "/schedule",
                                     "{\"sendAt\":\"2099-01-01T00:00\",\"timeZone\":\"UTC\"}");
        assertThat(schedule.status()).as(schedule.toString()).isEqualTo(409);
    }

    private static JsonNode historyEntry(String campaignId, String type) {
        JsonNode events = api.get("/api/campaigns/" + campaignId + "/history").json().get("events");
        JsonNode found = null;
        int count = 0;
        for (JsonNode e : events) {
            if (type.equals(e.get("type").asText())) {
                found = e;
                count++;
            }
        }
        assertThat(count).as("%s entries in the history of %s", type, campaignId).isEqualTo(1);
        return found;
    }

    @Test
    @Order(1)
    void anEmailCampaignWithoutSmtp_fails_stopsItsRun_refusesResume_andIsAnnouncedOncePerSubscription() {
        subscribe("/all", "");
        subscribe("/rate", ",\"campaignFailureRate\":0.1"); // its failure rate would be crossed too: still one message
        String segmentId = segmentOf(7);
        String campaignId = emailCampaign(segmentId);
        noSmtp = campaignId;
        Response launched = api.post("/api/campaigns/" + campaignId + "/launch", null);
        assertThat(launched.status()).as(launched.toString()).isEqualTo(200);

        JsonNode view = awaitFailed(campaignId);
        assertThat(view.get("failureReason").asText()).isEqualTo("channel-not-configured");
        assertThat(view.get("failureDetail").asText()).contains("email channel is not configured");
        assertThat(view.get("finishedAt").isNull()).isFalse();
        JsonNode list = api.get("/api/campaigns?status=FAILED&size=200").json();
        assertThat(list.get("items").findValuesAsText("id")).contains(campaignId);

        JsonNode entry = historyEntry(campaignId, "CampaignFailed");
        assertThat(entry.get("actor").asText()).isEqualTo("system:delivery");
        assertThat(entry.get("payload").get("reason").asText()).isEqualTo("channel-not-configured");
        assertThat(entry.get("payload").get("previousStatus").asText()).isEqualTo("RUNNING");

        assertRefusesEveryMove(campaignId);

        // the run stops: the first batch failed, the rest of the audience is skipped, nothing is sent
        JdbcTemplate jdbc = herald.bean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> "DONE".equals(jdbc.queryForObject(
                "select state from campaign_run where campaign_id = ?", String.class, campaignId)));
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select status, reason, count(*) as n from delivery where campaign_id = ? group by status, reason "
                        + "order by status", campaignId);
        assertThat(rows).as(rows.toString()).containsExactly(
                Map.of("status", "FAILED", "reason", "channel-not-configured", "n", 2L),
                Map.of("status", "SKIPPED", "reason", "campaign-failed", "n", 5L));
        assertThat(api.get("/api/campaigns/" + campaignId + "/progress").json().get("state").asText())
                .isEqualTo("DONE");

        await().atMost(Duration.ofSeconds(20)).until(() -> failedMessages("/all", campaignId).size() == 1
                && failedMessages("/rate", campaignId).size() == 1);
        for (String path : List.of("/all", "/rate")) {
            JsonNode data = failedMessages(path, campaignId).get(0).get("data");
            assertThat(data.get("reason").asText()).as(path).isEqualTo("channel-not-configured");
            assertThat(data.get("detail").asText()).as(path).contains("email channel is not configured");
        }
        // a failed campaign never completes; asking it to move wrote nothing; the segment is free to delete
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(failedMessages("/all", campaignId)).hasSize(1);
        assertThat(failedMessages("/rate", campaignId)).hasSize(1);
        assertThat(hits.stream().anyMatch(h -> h[1].contains("campaign.completed") && h[1].contains(campaignId)))
                .isFalse();
        assertThat(api.get("/api/campaigns/" + campaignId).json().get("status").asText()).isEqualTo("FAILED");
        Response deleted = api.send("DELETE", "/api/segments/" + segmentId, null, null, Map.of());
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    }

    @Test
    @Order(2)
    void aCampaignWhoseSegmentIsGoneWhenItsAudienceIsFrozen_failsWithSegmentDeleted() {
        String segmentId = segmentOf(2);
        String gone = emailCampaign(segmentId);
        noSegment = gone;
        String lagging = emailCampaign(segmentOf(2));
        // a segment deleted under a running campaign (the usage check keeps the API from doing it) is simulated on the
        // stored rows, while no worker runs: launched, then the segment's rows go before the audience is frozen
        herald.close();
        herald = HeraldInstance.start(database, "herald.delivery.worker.enabled=false");
        api = TestAuth.asAdmin(herald.api());
        for (String id : List.of(gone, lagging)) {
            Response launched = api.post("/api/campaigns/" + id + "/launch", null);
            assertThat(launched.status()).as(launched.toString()).isEqualTo(200);
        }
        JdbcTemplate before = herald.bean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> before.queryForObject(
                "select count(*) from campaign_run where campaign_id in (?, ?) and state = 'FREEZING'", Integer.class,
                gone, lagging) == 2);
        // gone for good: from the registry (the command side's authority) and the read model
        before.update("delete from segment_registry where segment_id = ?::uuid", segmentId);
        before.update("delete from segment_definition where id = ?::uuid", segmentId);
        // only lagging: the read model has no row for the other one, the registry has
        String laggingSegment = api.get("/api/campaigns/" + lagging).json().get("segmentId").asText();
        before.update("delete from segment_definition where id = ?::uuid", laggingSegment);
        herald.close();
        herald = HeraldInstance.start(database, SETTINGS);
        api = TestAuth.asAdmin(herald.api());

        JsonNode view = awaitFailed(gone);
        assertThat(view.get("failureReason").asText()).isEqualTo("segment-deleted");
        assertThat(view.get("failureDetail").asText()).contains(segmentId);
        assertThat(historyEntry(gone, "CampaignFailed").get("payload").get("reason").asText())
                .isEqualTo("segment-deleted");
        assertRefusesEveryMove(gone);
        await().atMost(Duration.ofSeconds(20)).until(() -> failedMessages("/all", gone).size() == 1);
        assertThat(failedMessages("/all", gone).get(0).get("data").get("reason").asText()).isEqualTo("segment-deleted");

        // the campaign whose segment still exists is not failed for a lagging read model
        assertThat(api.get("/api/campaigns/" + lagging).json().get("status").asText()).isEqualTo("RUNNING");
        assertThat(failedMessages("/all", lagging)).isEmpty();
    }

    @Test
    @Order(3)
    void theCampaignSummaryRebuiltFromHistory_showsTheFailures_andTheReplayChangesNoRowTwice() {
        assertThat(noSmtp).isNotNull();
        assertThat(noSegment).isNotNull();
        JdbcTemplate jdbc = herald.bean(JdbcTemplate.class);
        String sql = "select status, failure_reason, failure_detail, version from campaign_summary where id = ?";
        String withTime = "select status, failure_reason, failure_detail, version, updated_at from campaign_summary "
                + "where id = ?";
        Map<String, Object> kept = jdbc.queryForMap(withTime, noSegment);
        Map<String, Object> lost = jdbc.queryForMap(sql, noSmtp);
        jdbc.update("delete from campaign_summary where id = ?", noSmtp);
        herald.close();
        // README, "Rebuilding campaign_summary": one start in pooled mode reads the whole event store again
        herald = HeraldInstance.start(database, "axon.eventhandling.processors.campaign-summary.mode=pooled",
                                      "herald.delivery.worker.enabled=false");
        api = TestAuth.asAdmin(herald.api());
        JdbcTemplate rebuilt = herald.bean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> rebuilt.queryForObject(
                "select count(*) from campaign_summary where id = ? and version = ?", Integer.class, noSmtp,
                lost.get("version")) == 1);
        assertThat(rebuilt.queryForMap(sql, noSmtp)).isEqualTo(lost); // (its time: as the store keeps it)
        // the row that was there saw every event again, its CampaignFailed included: nothing changed
        assertThat(rebuilt.queryForMap(withTime, noSegment)).isEqualTo(kept);
        assertThat(api.get("/api/campaigns/" + noSmtp).json().get("failureReason").asText())
                .isEqualTo("channel-not-configured");
    }
}
