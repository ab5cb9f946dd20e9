package io.herald.gateway.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.config.MigrationLayout;
import io.herald.gateway.delivery.WebhookSink;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flow list end to end, on the real database with a real HTTP receiver: per flow the contacts in it now and its
 * sends so far (counted by the runtime as it sends), the counter's backfill of sends from before it, and
 * {@code POST /api/flows/{id}/duplicate}.
 */
class FlowListIT {

    static HeraldInstance herald;
    static ApiClient api;
    static WebhookSink sink;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        sink = new WebhookSink();
        herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                      "herald.delivery.allow-private-targets=true",
                                      "herald.delivery.worker.enabled=false",
                                      "herald.flow.runtime.poll-interval=100ms",
                                      "herald.flow.runtime.webhook-retry=300ms");
        api = TestAuth.asAdmin(herald.api());
        jdbc = new JdbcTemplate(herald.bean(DataSource.class));
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

    private static String contact(String plan) {
        Response created = api.post("/api/contacts", "{\"email\":\"l" + UUID.randomUUID().toString().substring(0, 12)
                + "@example.com\",\"attributes\":{\"plan\":\"" + plan + "\"}}");
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        return created.json().get("id").asText();
    }

    private static String create(String name, String definition) {
        Response created = api.post("/api/flows", "{\"name\":\"" + name + "\",\"definition\":" + definition + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static void lifecycle(String id, String action) {
        Response answer = api.post("/api/flows/" + id + "/" + action, null);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    /** The flow as GET /api/flows lists it. */
    private static JsonNode listed(String id) {
        Response list = api.get("/api/flows?size=200");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        for (JsonNode item : list.json().get("items")) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("flow " + id + " not in " + list);
    }

    /** Entry, a webhook to the sink, then the contacts with plan "wait" hold in a day-long wait; the rest leave. */
    private static String webhookThenWait(String path) {
        return """
                {"trigger":{"type":"api"},
                 "nodes":[
                   {"type":"entry","id":"start","next":"hook"},
                   {"type":"webhook","id":"hook","url":"%s","body":"{\\"id\\":\\"{{ id }}\\"}","next":"hold"},
                   {"type":"branch","id":"hold","rule":{"type":"attribute","attribute":"plan","operator":"eq","value":"wait"},
                    "trueNext":"pause","falseNext":"done"},
                   {"type":"wait","id":"pause","duration":"P1D","next":"done"},
                   {"type":"exit","id":"done"}],
                 "layout":{"start":{"x":10,"y":20},"hook":{"x":10,"y":120},"hold":{"x":10,"y":220},
                           "pause":{"x":10,"y":320},"done":{"x":10,"y":420}}}""".formatted(sink.url(path));
    }

    @Test
    void theList_showsContactsInFlowNow_andSendsSoFar_asTheRuntimeSends() {
        String path = "/list-" + UUID.randomUUID();
        String flow = create("Counted " + UUID.randomUUID(), webhookThenWait(path));
        String idle = create("Idle " + UUID.randomUUID(), webhookThenWait(path));
        assertThat(listed(flow).get("contactsInFlow").asLong()).isZero();
        assertThat(listed(flow).get("sendsSoFar").asLong()).isZero();
        lifecycle(flow, "publish");
        lifecycle(flow, "activate");

        String staying1 = contact("wait");
        String staying2 = contact("wait");
        String leaving = contact("pro");
        Response entered = api.post("/api/flows/" + flow + "/entries", "{\"contacts\":[{\"contactId\":\"" + staying1
                + "\"},{\"contactId\":\"" + staying2 + "\"},{\"contactId\":\"" + leaving + "\"}]}");
        assertThat(entered.status()).as(entered.toString()).isEqualTo(200);
        assertThat(entered.json().get("entered").asInt()).isEqualTo(3);

        // all three sent to the sink; two wait a day (in the flow now), one went on to the exit
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode item = listed(flow);
            assertThat(item.get("sendsSoFar").asLong()).as(item.toString()).isEqualTo(3);
            assertThat(item.get("contactsInFlow").asLong()).as(item.toString()).isEqualTo(2);
        });
        assertThat(sink.received.stream().filter(r -> r.path().equals(path)).count()).isEqualTo(3);
        // the list's totals agree with the statistics counted from the decision log
        JsonNode stats = api.get("/api/flows/" + flow + "/stats").json();
        assertThat(stats.at("/runs/waiting").asLong() + stats.at("/runs/active").asLong()).isEqualTo(2);
        for (JsonNode node : stats.get("nodes")) {
            if (node.get("nodeId").asText().equals("hook")) {
                assertThat(node.get("sent").asLong()).isEqualTo(3);
            }
        }
        // spread over slots, summed
        assertThat(jdbc.queryForObject("select sum(sends) from flow_send_total where flow_id = ?::uuid", Long.class,
                                       flow)).isEqualTo(3);
        JsonNode other = listed(idle);
        assertThat(other.get("contactsInFlow").asLong()).isZero();
        assertThat(other.get("sendsSoFar").asLong()).isZero();

        // stopping the flow ends its runs: none in it now, the sends stay
        lifecycle(flow, "stop");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(listed(flow).get("contactsInFlow").asLong()).isZero());
        assertThat(listed(flow).get("sendsSoFar").asLong()).isEqualTo(3);
    }

    @Test
    void aWebhookTheReceiverRefuses_isNoSend() throws Exception {
        try (WebhookSink refusing = new WebhookSink()) {
            refusing.status = (key, seen) -> 400; // permanent: the run goes on without retrying
            String path = "/refused-" + UUID.randomUUID();
            String flow = create("Refused " + UUID.randomUUID(), webhookThenWait(path).replace(sink.url(path),
                                                                                                 refusing.url(path)));
            lifecycle(flow, "publish");
            lifecycle(flow, "activate");
            Response entered = api.post("/api/flows/" + flow + "/entries", "{\"contacts\":[{\"contactId\":\""
                    + contact("pro") + "\"}]}");
            assertThat(entered.json().get("entered").asInt()).as(entered.toString()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(
                    () -> assertThat(api.get("/api/flows/" + flow + "/stats").json().at("/runs/completed").asLong())
                            .isEqualTo(1));
            assertThat(refusing.received).hasSize(1);
            JsonNode item = listed(flow);
            assertThat(item.get("sendsSoFar").asLong()).as(item.toString()).isZero();
            assertThat(item.get("contactsInFlow").asLong()).as(item.toString()).isZero();
        }
    }

    @Test
    void theCounterMigration_backfillsTheSendsWrittenDownBeforeIt() {
        String url = TestDatabases.newDatabase();
        Flyway before = Flyway.configure().dataSource(url, null, null)
                              .locations(MigrationLayout.LOCATIONS.toArray(String[]::new)).outOfOrder(true)
                              .target(MigrationVersion.fromVersion("5300")).load();
        before.migrate();
        JdbcTemplate old = new JdbcTemplate(new DriverManagerDataSource(url));
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID quiet = UUID.randomUUID();
        // flow a: two runs, three successful sends (a send node's and a webhook's), one failure; flow b: one;
        // quiet: a run that sent nothing
        UUID a1 = run(old, a, 1);
        UUID a2 = run(old, a, 2);
        UUID b1 = run(old, b, 1);
        UUID q1 = run(old, quiet, 1);
        step(old, a1, "entered");
        step(old, a1, "sent");
        step(old, a1, "webhook");
        step(old, a2, "webhook");
        step(old, a2, "webhook-failed");
        step(old, a2, "send-failed");
        step(old, b1, "sent");
        step(old, q1, "entered");

        Flyway.configure().dataSource(url, null, null).locations(MigrationLayout.LOCATIONS.toArray(String[]::new))
              .outOfOrder(true).load().migrate();
        Map<UUID, Long> sends = new java.util.HashMap<>();
        old.query("select flow_id, sum(sends) from flow_send_total group by flow_id",
                  rs -> {
                      sends.put(rs.getObject(1, UUID.class), rs.getLong(2));
                  });
        assertThat(sends).isEqualTo(Map.of(a, 3L, b, 1L));
    }

    private static UUID run(JdbcTemplate jdbc, UUID flow, int version) {
        UUID run = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        jdbc.update("insert into flow_run (run_id, flow_id, version, contact_id, entry_key, node_id, state, entered_at, "
                            + "updated_at) values (?, ?, ?, ?, ?, 'done', 'COMPLETED', now(), now())",
                    run, flow, version, contact, "c:" + contact);
        return run;
    }

    private static void step(JdbcTemplate jdbc, UUID run, String kind) {
        jdbc.update("insert into flow_run_step (run_id, at, node_id, kind) values (?, now(), 'n', ?)", run, kind);
    }

    // --- duplicate -----------------------------------------------------------------------------------------------

    @Test
    void duplicate_makesADraftWithTheSourcesDraftAndLayout_namedCopy_201WithLocation() {
        String name = "Source " + UUID.randomUUID();
        String source = create(name, webhookThenWait("/dup"));
        lifecycle(source, "publish");
        lifecycle(source, "activate");

        Response copy = api.post("/api/flows/" + source + "/duplicate", null);
        assertThat(copy.status()).as(copy.toString()).isEqualTo(201);
        String copyId = copy.json().get("id").asText();
        assertThat(copyId).isNotEqualTo(source);
        assertThat(copy.header("Location")).endsWith("/api/flows/" + copyId);
        assertThat(copy.json().get("name").asText()).isEqualTo(name + " (copy)");
        assertThat(copy.json().get("status").asText()).isEqualTo("DRAFT");
        assertThat(copy.json().get("latestVersion").asInt()).isZero();
        JsonNode sourceDraft = api.get("/api/flows/" + source).json().get("draft");
        assertThat(copy.json().get("draft")).isEqualTo(sourceDraft);
        assertThat(copy.json().at("/draft/layout/pause/y").asDouble()).isEqualTo(320);
        assertThat(api.get("/api/flows/" + copyId).json().get("draft")).isEqualTo(sourceDraft);
        assertThat(listed(copyId).get("status").asText()).isEqualTo("DRAFT");
        // the source is unchanged
        assertThat(api.get("/api/flows/" + source).json().get("status").asText()).isEqualTo("ACTIVE");

        // without an id every call is another copy
        Response second = api.post("/api/flows/" + source + "/duplicate", "{}");
        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        assertThat(second.json().get("id").asText()).isNotEqualTo(copyId);
    }

    @Test
    void duplicate_withANameAndAnId_isAnsweredTheSameOnARetry_andAnotherBodyOnThatIdIsAConflict() {
        String source = create("Named " + UUID.randomUUID(), webhookThenWait("/dup"));
        String copyId = UUID.randomUUID().toString();
        String body = "{\"id\":\"" + copyId + "\",\"name\":\"  My copy  \"}";
        Response first = api.post("/api/flows/" + source + "/duplicate", body);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.json().get("id").asText()).isEqualTo(copyId);
        assertThat(first.json().get("name").asText()).isEqualTo("My copy");
        Response retry = api.post("/api/flows/" + source + "/duplicate", body);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(retry.json().get("id").asText()).isEqualTo(copyId);
        assertThat(retry.json().get("version").asLong()).isEqualTo(first.json().get("version").asLong());
        assertThat(jdbc.queryForObject("select count(*) from flow_summary where id = ?::uuid", Integer.class, copyId))
                .isEqualTo(1);

        Response other = api.post("/api/flows/" + source + "/duplicate", "{\"id\":\"" + copyId
                + "\",\"name\":\"Another name\"}");
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.header("Content-Type")).contains("application/problem+json");
        // the source's own id is taken too
        Response onItself = api.post("/api/flows/" + source + "/duplicate", "{\"id\":\"" + source + "\"}");
        assertThat(onItself.status()).as(onItself.toString()).isEqualTo(409);
    }

    @Test
    void duplicate_ofAnUnknownFlow_is404_andAnInvalidBody_is400_likeACreate() {
        Response unknown = api.post("/api/flows/" + UUID.randomUUID() + "/duplicate", null);
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.json().get("code").asText()).isEqualTo("flow.not-found");
        assertThat(api.post("/api/flows/not-a-uuid/duplicate", null).status()).isEqualTo(404);

        String source = create("Valid " + UUID.randomUUID(), webhookThenWait("/dup"));
        Response blank = api.post("/api/flows/" + source + "/duplicate", "{\"name\":\"   \"}");
        assertThat(blank.status()).as(blank.toString()).isEqualTo(400);
        assertThat(blank.body()).contains("name");
        Response tooLong = api.post("/api/flows/" + source + "/duplicate", "{\"name\":\"" + "x".repeat(201) + "\"}");
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);
        Response badId = api.post("/api/flows/" + source + "/duplicate", "{\"id\":\"nope\"}");
        assertThat(badId.status()).as(badId.toString()).isEqualTo(400);
        assertThat(badId.body()).contains("id");

        // a long name still fits 200 characters with the suffix
        String longName = "L".repeat(198);
        String longSource = create(longName, webhookThenWait("/dup"));
        Response copy = api.post("/api/flows/" + longSource + "/duplicate", null);
        assertThat(copy.status()).as(copy.toString()).isEqualTo(201);
        assertThat(copy.json().get("name").asText()).hasSize(200).endsWith(" (copy)");
    }

    @Test
    void duplicate_isForWriters_anAnalystIsRefused() {
        String source = create("Guarded " + UUID.randomUUID(), webhookThenWait("/dup"));
        ApiClient analyst = herald.api().withHeader("Authorization", "Bearer "
                + TestAuth.userWithRole(herald.api(), "ANALYST"));
        Response refused = analyst.post("/api/flows/" + source + "/duplicate", null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(analyst.get("/api/flows").status()).isEqualTo(200);
        ApiClient marketer = herald.api().withHeader("Authorization", "Bearer "
                + TestAuth.userWithRole(herald.api(), "MARKETER"));
        assertThat(marketer.post("/api/flows/" + source + "/duplicate", null).status()).isEqualTo(201);
    }
}
