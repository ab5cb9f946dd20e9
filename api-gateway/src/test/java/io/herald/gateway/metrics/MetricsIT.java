package io.herald.gateway.metrics;

import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.contact.Multipart;
import io.herald.gateway.delivery.WebhookSink;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The metrics end to end on one instance in the {@code all} role (a delivery worker included), on a fresh
 * database: tracked events of every result, a webhook campaign to a real HTTP sink and a CSV import, then
 * {@code /actuator/prometheus} scraped on the management port, where Herald's, Axon's and Spring's metrics
 * appear with their bounded labels and the counts of what was done; the public port answers health but not
 * the metrics.
 */
class MetricsIT {

    static String database;
    static HeraldInstance herald;
    static ApiClient api;
    static WebhookSink sink;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        sink = new WebhookSink();
        database = TestDatabases.newDatabase();
        herald = HeraldInstance.start(database,
                                      "herald.delivery.allow-private-targets=true",
                                      "herald.delivery.worker.poll-interval=100ms",
                                      "herald.delivery.webhook.signing-secret=test-signing-secret",
                                      "herald.imports.poll-interval=200ms");
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

    @Test
    void prometheus_onTheManagementPort_countsWhatHeraldDid_withBoundedLabels() throws Exception {
        // tracked events: accepted, duplicate (the same messageId again), late (older than 30 days), rejected
        String user = "metrics-" + UUID.randomUUID();
        String track = "{\"userId\":\"" + user + "\",\"event\":\"Signed Up\",\"messageId\":\"m-" + user + "\"}";
        assertThat(api.post("/api/track", track).json().get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(api.post("/api/track", track).json().get("status").asText()).isEqualTo("DUPLICATE");
        var late = api.post("/api/track", "{\"userId\":\"" + user + "\",\"event\":\"Old\",\"timestamp\":\""
                + Instant.now().minus(Duration.ofDays(60)) + "\"}");
        assertThat(late.json().get("late").asBoolean()).as(late.toString()).isTrue();
        var rejected = api.post("/api/track", "{\"userId\":\"" + user + "\",\"event\":\"Bad\",\"timestamp\":\"yesterday\"}");
        assertThat(rejected.status()).isEqualTo(400);

        // a webhook campaign to three contacts, sent to a real HTTP sink
        String audience = "metrics-" + UUID.randomUUID();
        List<String> contactIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var created = api.post("/api/contacts", "{\"email\":\"m" + i + "-" + audience + "@example.com\","
                    + "\"attributes\":{\"audience\":\"" + audience + "\"}}");
            assertThat(created.status()).as(created.toString()).isIn(200, 201);
            contactIds.add(created.json().get("id").asText());
        }
        String segment = CampaignApiITSupport.segment(api, audience);
        var campaign = api.post("/api/campaigns", "{\"name\":\"Metrics " + audience + "\",\"channel\":\"WEBHOOK\","
                + "\"content\":{\"url\":\"" + sink.url("/hooks/metrics") + "\",\"payload\":\"{\\\"id\\\":\\\"{{ id }}\\\"}\"},"
                + "\"segmentId\":\"" + segment + "\"}");
        assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
        String campaignId = campaign.json().get("id").asText();
        assertThat(api.post("/api/campaigns/" + campaignId + "/launch", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                api.get("/api/campaigns/" + campaignId).json().get("status").asText()).isEqualTo("COMPLETED"));
        assertThat(sink.received).hasSize(3);

        // an import: two rows create contacts, one is rejected
        String csv = "Email\nimp-a-" + audience + "@example.com\nnot-an-email\nimp-b-" + audience + "@example.com\n";
        HttpResponse<String> upload = Multipart.postImport(herald.port(), TestAuth.admin(herald.api()),
                                                           csv.getBytes(StandardCharsets.UTF_8),
                                                           "{\"email\":\"Email\"}", "UPSERT");
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        String importId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(upload.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(
                api.get("/api/contacts/imports/" + importId).json().get("state").asText()).isEqualTo("COMPLETED"));

        // the public port: health yes, metrics no
        assertThat(get(herald.port(), "/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get(herald.port(), "/actuator/prometheus").statusCode()).isEqualTo(404);
        assertThat(get(herald.managementPort(), "/actuator/health").statusCode()).isEqualTo(200);

        // counters are counted once their transactions commit: wait for the last of them, and for the lag's first look
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String scrape = scrape();
            assertThat(value(scrape, "herald_imports_rows_total", "result=\"created\"")).isEqualTo(2);
            assertThat(value(scrape, "herald_processor_lag", "group=\"campaign-send\"")).isNotNull();
            assertThat(value(scrape, "herald_deliveries_pending", "")).isEqualTo(0);
        });
        String scrape = scrape();
        // kept for a look at every series (README's metric catalogue is checked against it by hand)
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-it-scrape.txt"), scrape);

        assertThat(value(scrape, "herald_tracking_events_total", "result=\"accepted\"")).isEqualTo(1);
        assertThat(value(scrape, "herald_tracking_events_total", "result=\"duplicate\"")).isEqualTo(1);
        assertThat(value(scrape, "herald_tracking_events_total", "result=\"late\"")).isEqualTo(1);
        assertThat(value(scrape, "herald_tracking_events_total", "result=\"rejected\"")).isEqualTo(1);

        assertThat(value(scrape, "herald_sends_total", "channel=\"webhook\",outcome=\"sent\"")).isEqualTo(3);
        assertThat(value(scrape, "herald_sends_total", "channel=\"webhook\",outcome=\"failed\"")).isEqualTo(0);
        assertThat(value(scrape, "herald_delivery_throttle_wait_seconds_count", "channel=\"webhook\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "herald_deliveries_sending", "")).isEqualTo(0);
        assertThat(value(scrape, "herald_webhook_backlog", "")).isEqualTo(0);
        assertThat(value(scrape, "herald_flow_runs_due", "")).isEqualTo(0);

        assertThat(value(scrape, "herald_imports_rows_total", "result=\"rejected\"")).isEqualTo(1);
        assertThat(value(scrape, "herald_imports_rows_total", "result=\"updated\"")).isEqualTo(0);

        // the event store: its head, what this instance appended (every event here: one instance, fresh database)
        double head = value(scrape, "herald_eventstore_head", "");
        assertThat(head).isGreaterThan(10);
        assertThat(value(scrape, "herald_eventstore_appended_total", "")).isGreaterThan(10);
        assertThat(value(scrape, "herald_eventstore_reader_state", "")).isEqualTo(1);
        assertThat(value(scrape, "herald_processor_lag", "group=\"campaign-send\"", "segment=\"0\""))
                .isBetween(0.0, head);

        // Axon's, dimensional: processor latency per processor, handler timers per message type
        assertThat(scrape).containsPattern("(?m)^eventProcessor_latency\\w*\\{[^}]*processorName=\"campaign-send\"");
        assertThat(scrape).containsPattern("(?m)^commandBus_\\w+\\{[^}]*payloadType=\"TrackEventsCommand\"");
        // ... without Axon's per-result timers and client-side percentiles (AxonMeters)
        assertThat(scrape).contains("eventProcessor_allTimer_seconds_count{")
                .doesNotContain("eventProcessor_successTimer").doesNotContain("commandBus_failureTimer")
                .doesNotContain("quantile=");
        // Spring's
        assertThat(scrape).contains("http_server_requests_seconds_count{").contains("jvm_memory_used_bytes{");
        // every Herald series carries the role
        assertThat(scrape).containsPattern("(?m)^herald_sends_total\\{[^}]*role=\"all\"");

        // the README's metric catalogue names every herald_ series this instance exposes
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        java.util.Set<String> herald = new java.util.TreeSet<>();
        Matcher names = Pattern.compile("(?m)^(herald_\\w+?)(_count|_sum|_max)?[{ ]").matcher(scrape);
        while (names.find()) {
            herald.add(names.group(1));
        }
        assertThat(herald).hasSizeGreaterThan(10);
        for (String name : herald) {
            assertThat(readme).as("README's metric catalogue lists %s", name).contains("`" + name + "`");
        }

        // bounded labels: no campaign, contact, segment or import id and no address in any series
        for (String id : List.of(campaignId, segment, importId, contactIds.get(0), user, audience)) {
            assertThat(scrape).doesNotContain(id);
        }
    }

    /**
     * The backlog gauges count what waits in the shared tables: recipients of two paused runs (no worker claims
     * them), split by channel for the webhook backlog, and flow runs of a flow no worker runs, due or not yet.
     * The rows are removed again, so the other tests see an empty backlog.
     */
    @Test
    void backlogGauges_countThePendingRecipientsAndTheDueFlowRuns() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(herald.bean(DataSource.class));
        String webhook = "metrics-backlog-" + UUID.randomUUID();
        String email = "metrics-backlog-" + UUID.randomUUID();
        UUID flow = UUID.randomUUID();
        try {
            for (String[] run : new String[][]{{webhook, "WEBHOOK", "3"}, {email, "EMAIL", "2"}}) {
                jdbc.update("insert into campaign_run (campaign_id, state, paused, channel, frozen, audience_recorded, "
                                    + "launched_at, updated_at) values (?, 'SENDING', true, ?, true, true, now(), now())",
                            run[0], run[1]);
                jdbc.update("insert into delivery (campaign_id, contact_id, status, created_at, updated_at) "
                                    + "select ?, gen_random_uuid(), 'PENDING', now(), now() from generate_series(1, ?)",
                            run[0], Integer.parseInt(run[2]));
            }
            for (String due : List.of("now() - interval '1 hour'", "now() + interval '1 hour'")) {
                jdbc.update("insert into flow_run (run_id, flow_id, version, contact_id, entry_key, node_id, state, due_at, "
                                    + "entered_at, updated_at) values (gen_random_uuid(), ?, 1, gen_random_uuid(), "
                                    + "'k:' || gen_random_uuid(), 'wait', 'WAITING', " + due + ", now(), now())", flow);
            }

            // the instance's gauges (read at most every 5 s)
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String scrape = scrape();
                assertThat(value(scrape, "herald_deliveries_pending")).isEqualTo(5);
                assertThat(value(scrape, "herald_webhook_backlog")).isEqualTo(3);
                assertThat(value(scrape, "herald_flow_runs_due")).isEqualTo(1);
                assertThat(value(scrape, "herald_deliveries_sending")).isEqualTo(0);
            });
        } finally {
            jdbc.update("delete from delivery where campaign_id in (?, ?)", webhook, email);
            jdbc.update("delete from campaign_run where campaign_id in (?, ?)", webhook, email);
            jdbc.update("delete from flow_run where flow_id = ?", flow);
        }
    }

    /**
     * An api instance runs no delivery worker: it reports no backlog gauges (the workers do: the tables are shared,
     * and every instance would report the same numbers), but its own counters and the event store's, tagged api.
     */
    @Test
    void apiRole_hasNoBacklogGauges_butItsOwnCounters() throws Exception {
        try (HeraldInstance api = HeraldInstance.start(database, "herald.role=api")) {
            assertThat(api.managementPort()).isNotEqualTo(api.port());
            HttpResponse<String> response = get(api.managementPort(), "/actuator/prometheus");
            assertThat(response.statusCode()).isEqualTo(200);
            String scrape = response.body();
            assertThat(value(scrape, "herald_deliveries_pending")).isNull();
            assertThat(value(scrape, "herald_webhook_backlog")).isNull();
            assertThat(value(scrape, "herald_flow_runs_due")).isNull();
            assertThat(value(scrape, "herald_tracking_events_total", "result=\"accepted\"", "role=\"api\"")).isNotNull();
            assertThat(value(scrape, "herald_eventstore_head", "role=\"api\"")).isGreaterThan(0);
            assertThat(get(api.port(), "/actuator/prometheus").statusCode()).isEqualTo(404);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                         HttpResponse.BodyHandlers.ofString());
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = get(herald.managementPort(), "/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /**
     * The value of the series {@code name} whose labels contain each of {@code labels} (several in one string in
     * the exposition's alphabetical order), summed over the series that match; null when none does.
     */
    static Double value(String scrape, String name, String... labels) {
        Matcher lines = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(scrape);
        Double sum = null;
        while (lines.find()) {
            String found = lines.group(1) == null ? "" : lines.group(1);
            if (java.util.Arrays.stream(labels).allMatch(found::contains)) {
                double v = Double.parseDouble(lines.group(2));
                sum = sum == null ? v : sum + v;
            }
        }
        return sum;
    }
}
