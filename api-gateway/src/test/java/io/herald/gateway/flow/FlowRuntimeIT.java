package io.herald.gateway.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.delivery.WebhookSink;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.Mailbox;
import io.herald.gateway.support.TestAuth;
import io.herald.saga.channel.WebhookChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flow runtime through REST, on the real database with a real HTTP receiver, GreenMail and the SMS provider's
 * API (the same receiver): entries (idempotency, the entry policy under concurrency, errors), a run end to end with
 * its decision log, waits that never fire early, sticky splits, pause and resume, stop, send nodes on every channel
 * (and what a worker killed mid-send leaves), waits for events and exit conditions.
 */
class FlowRuntimeIT {

    static final String SECRET = "flow-test-secret";
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
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
                                      "herald.delivery.sms.base-url=" + sink.url("/sms"),
                                      "herald.delivery.sms.account-sid=AC123",
                                      "herald.delivery.sms.auth-token=token",
                                      "herald.delivery.sms.from=+15550001111",
                                      "spring.mail.host=127.0.0.1",
                                      "spring.mail.port=" + mail.getSmtp().getPort(),
                                      "herald.delivery.allow-private-targets=true",
                                      "herald.delivery.worker.enabled=false",
                                      "herald.delivery.webhook.signing-secret=" + SECRET,
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
        if (mail != null) {
            mail.stop();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static String contact(String plan) {
        Response created = api.post("/api/contacts", "{\"email\":\"f" + UUID.randomUUID().toString().substring(0, 12)
                + "@example.com\",\"externalId\":\"ext-" + UUID.randomUUID() + "\",\"attributes\":{\"plan\":\"" + plan
                + "\",\"first_name\":\"Ada\"}}");
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        return created.json().get("id").asText();
    }

    /** Creates, publishes and activates a flow; returns its id. */
    private static String activeFlow(String definition) {
        Response created = api.post("/api/flows", "{\"name\":\"Run " + UUID.randomUUID() + "\",\"definition\":"
                + definition + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        Response published = api.post("/api/flows/" + id + "/publish", null);
        assertThat(published.status()).as(published.toString()).isEqualTo(200);
        Response active = api.post("/api/flows/" + id + "/activate", null);
        assertThat(active.status()).as(active.toString()).isEqualTo(200);
        return id;
    }

    private static Response enter(String flowId, String body, String key) {
        return api.send("POST", "/api/flows/" + flowId + "/entries", body, "application/json",
                        key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    private static String byIds(String... ids) {
        List<String> items = new ArrayList<>();
        for (String id : ids) {
            items.add("{\"contactId\":\"" + id + "\"}");
        }
        return "{\"contacts\":[" + String.join(",", items) + "]}";
    }

    private static JsonNode run(String flowId, String contactId) {
        Response runs = api.get("/api/flows/" + flowId + "/runs?contactId=" + contactId);
        assertThat(runs.status()).as(runs.toString()).isEqualTo(200);
        assertThat(runs.json().get("items").size()).as(runs.toString()).isGreaterThanOrEqualTo(1);
        return runs.json().get("items").get(0);
    }

    private static List<String> kinds(JsonNode run) {
        List<String> kinds = new ArrayList<>();
        run.get("steps").forEach(step -> kinds.add(step.get("kind").asText()));
        return kinds;
    }

    private static JsonNode step(JsonNode run, String kind) {
        for (JsonNode step : run.get("steps")) {
            if (step.get("kind").asText().equals(kind)) {
                return step;
            }
        }
        throw new AssertionError("no step " + kind + " in " + run);
    }

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.json().get("code").asText()).as(response.toString()).isEqualTo(code);
    }

    private static String webhookFlow(String path, String waitNode) {
        return """
                {"trigger":{"type":"api"},"timeZone":"Europe/Paris",
                 "nodes":[
                   {"type":"entry","id":"start","next":"pause"},
                   %s,
                   {"type":"branch","id":"is-pro","rule":{"type":"attribute","attribute":"plan","operator":"eq","value":"pro"},
                    "trueNext":"hook","falseNext":"done"},
                   {"type":"webhook","id":"hook","url":"%s",
                    "body":"{\\"hello\\":\\"{{ first_name }}\\",\\"cart\\":\\"{{ trigger.cartId }}\\",\\"id\\":\\"{{ id }}\\"}",
                    "next":"done"},
                   {"type":"exit","id":"done"}]}""".formatted(waitNode, sink.url(path));
    }

    // --- entries -------------------------------------------------------------------------------------------

    @Test
    void entries_byIdExternalIdAndEmail_idempotentOnTheKey_withAPerContactResult() {
        String flow = activeFlow(webhookFlow("/idem", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT1H\",\"next\":\"is-pro\"}"));
        String a = contact("pro");
        String b = contact("free");
        JsonNode bView = api.get("/api/contacts/" + b).json();
        String body = "{\"contacts\":[{\"contactId\":\"" + a + "\"},{\"externalId\":\"" + bView.get("externalId").asText()
                + "\"},{\"email\":\"NOBODY-" + UUID.randomUUID() + "@example.com\"},{\"contactId\":\"" + a + "\"}],"
                + "\"data\":{\"cartId\":\"c-1\"}}";
        String key = "k-" + UUID.randomUUID();
        Response first = enter(flow, body, key);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        JsonNode result = first.json();
        assertThat(result.get("entered").asInt()).isEqualTo(2);
        assertThat(result.get("alreadyInFlow").asInt()).isEqualTo(1);
        assertThat(result.get("unknownContact").asInt()).isEqualTo(1);
        assertThat(result.get("replayed").asBoolean()).isFalse();
        assertThat(result.at("/results/0/outcome").asText()).isEqualTo("entered");
        assertThat(result.at("/results/1/contactId").asText()).isEqualTo(b);
        assertThat(result.at("/results/2/outcome").asText()).isEqualTo("unknown-contact");
        assertThat(result.at("/results/3/outcome").asText()).isEqualTo("already-in-flow");
        assertThat(result.at("/results/3/runId").asText()).isEqualTo(result.at("/results/0/runId").asText());

        Response again = enter(flow, body, key);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("replayed").asBoolean()).isTrue();
        assertThat(again.json().get("results")).isEqualTo(result.get("results"));
        assertThat(jdbc.queryForObject("select count(*) from flow_run where flow_id = ?::uuid", Integer.class, flow))
                .isEqualTo(2);
        assertProblem(enter(flow, byIds(a), key), 422, "flow.entries.idempotency-key-reused");

        // without a key: the contact is in the flow already; the run carries the trigger data
        Response plain = enter(flow, byIds(a), null);
        assertThat(plain.json().at("/results/0/outcome").asText()).isEqualTo("already-in-flow");
        assertThat(run(flow, a).at("/data/cartId").asText()).isEqualTo("c-1");
        assertThat(run(flow, a).get("version").asInt()).isEqualTo(1);
    }

    /** Answers to keyed entries calls are kept for a day: after that a recurring task forgets them. */
    @Test
    void entryKeys_olderThanTheRetention_areForgotten_byTheRecurringTask() {
        String flow = activeFlow(webhookFlow("/retention", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT1H\",\"next\":\"is-pro\"}"));
        String a = contact("pro");
        String old = "old-" + UUID.randomUUID();
        String recent = "recent-" + UUID.randomUUID();
        assertThat(enter(flow, byIds(a), old).json().at("/results/0/outcome").asText()).isEqualTo("entered");
        assertThat(enter(flow, byIds(a), recent).json().at("/results/0/outcome").asText()).isEqualTo("already-in-flow");
        jdbc.update("update flow_entry_request set created_at = now() - interval '25 hours' "
                    + "where flow_id = ?::uuid and idempotency_key = ?", flow, old);

        var scheduler = herald.bean(com.github.kagkarlsson.scheduler.Scheduler.class);
        scheduler.reschedule(com.github.kagkarlsson.scheduler.task.TaskInstanceId.of("flow-entry-key-retention",
                                                                                    "recurring"), Instant.now());
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "select count(*) from flow_entry_request where flow_id = ?::uuid and idempotency_key = ?", Integer.class,
                flow, old) == 0);
        // the forgotten key is a new call (the entry policy still holds); the recent one still replays
        Response again = enter(flow, byIds(a), old);
        assertThat(again.json().get("replayed").asBoolean()).isFalse();
        assertThat(again.json().at("/results/0/outcome").asText()).isEqualTo("already-in-flow");
        assertThat(enter(flow, byIds(a), recent).json().get("replayed").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from flow_run where flow_id = ?::uuid", Integer.class, flow))
                .isEqualTo(1);
    }

    /** 10,000 contacts (imported by CSV) entered by external id in one call, each once, in a few seconds. */
    @Test
    void entries_tenThousandContactsInOneCall() throws Exception {
        String k = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("Email,User ID\n");
        for (int i = 0; i < 10_000; i++) {
            csv.append("bulk-").append(k).append('-').append(i).append("@example.com,bulk-").append(k).append('-')
                    .append(i).append('\n');
        }
        var started = io.herald.gateway.contact.Multipart.postImport(
                herald.port(), api.defaultHeader("Authorization").substring("Bearer ".length()),
                csv.toString().getBytes(StandardCharsets.UTF_8), "{\"email\":\"Email\",\"externalId\":\"User ID\"}",
                "UPSERT");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String importId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(started.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                api.get("/api/contacts/imports/" + importId).json().get("state").asText()).isEqualTo("COMPLETED"));

        String flow = activeFlow(webhookFlow("/bulk", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT1H\",\"next\":\"is-pro\"}"));
        StringBuilder body = new StringBuilder("{\"contacts\":[");
        for (int i = 0; i < 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"externalId\":\"bulk-").append(k).append('-').append(i).append("\"}");
        }
        long began = System.nanoTime();
        Response entered = enter(flow, body.append("]}").toString(), "bulk-" + k);
        long millis = (System.nanoTime() - began) / 1_000_000;
        assertThat(entered.status()).as(entered.toString()).isEqualTo(200);
        assertThat(entered.json().get("entered").asInt()).isEqualTo(10_000);
        System.out.println("FLOW-ENTRIES-10000 " + millis + " ms");
        assertThat(millis).isLessThan(30_000);
        assertThat(jdbc.queryForObject("select count(*) from flow_run where flow_id = ?::uuid", Integer.class, flow))
                .isEqualTo(10_000);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from flow_run where flow_id = ?::uuid and state = 'WAITING'", Integer.class, flow))
                .isEqualTo(10_000));
    }

    @Test
    void entries_refusedWhenNotActive_empty_tooMany_orMalformed() {
        String flow = activeFlow(webhookFlow("/refused", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT1H\",\"next\":\"is-pro\"}"));
        String a = contact("pro");
        assertProblem(enter(UUID.randomUUID().toString(), byIds(a), null), 404, "flow.not-found");
        assertProblem(enter(flow, "{\"contacts\":[]}", null), 400, "flow.entries.empty");
        assertProblem(enter(flow, "{\"contacts\":[{\"contactId\":\"" + a + "\",\"email\":\"x@example.com\"}]}", null),
                      400, "flow.entry.contact-invalid");
        StringBuilder many = new StringBuilder("{\"contacts\":[");
        for (int i = 0; i <= 10_000; i++) {
            many.append(i == 0 ? "" : ",").append("{\"contactId\":\"").append(a).append("\"}");
        }
        assertProblem(enter(flow, many.append("]}").toString(), null), 413, "flow.entries.too-many");
        assertThat(api.post("/api/flows/" + flow + "/pause", null).status()).isEqualTo(200);
        assertProblem(enter(flow, byIds(a), null), 409, "flow.not-active");
        assertThat(api.post("/api/flows/" + flow + "/archive", null).status()).isEqualTo(200);
        assertProblem(enter(flow, byIds(a), null), 409, "flow.not-active");
    }

    @Test
    void entries_aKeyOfScopeFlowsEnter_mayEnter_aReadKeyMayNot() {
        String flow = activeFlow(webhookFlow("/scoped", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT1H\",\"next\":\"is-pro\"}"));
        String a = contact("pro");
        ApiClient enterer = herald.api().withHeader("X-API-Key", TestAuth.apiKey(herald.api(), "flows:enter"));
        ApiClient reader = herald.api().withHeader("X-API-Key", TestAuth.apiKey(herald.api(), "read"));
        assertThat(reader.post("/api/flows/" + flow + "/entries", byIds(a)).status()).isEqualTo(403);
        Response entered = enterer.post("/api/flows/" + flow + "/entries", byIds(a));
        assertThat(entered.status()).as(entered.toString()).isEqualTo(200);
        assertThat(entered.json().get("entered").asInt()).isEqualTo(1);
        assertThat(reader.get("/api/flows/" + flow + "/runs?contactId=" + a).status()).isEqualTo(200);
    }

    @Test
    void entryPolicy_concurrentEntriesOfOneContact_makeOneRun() throws Exception {
        String flow = activeFlow(webhookFlow("/race", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT1H\",\"next\":\"is-pro\"}"));
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            contacts.add(contact("pro"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (String contact : contacts) {
                for (int i = 0; i < 4; i++) {
                    calls.add(() -> enter(flow, byIds(contact), null));
                }
            }
            int entered = 0;
            for (Future<Response> future : pool.invokeAll(calls)) {
                Response response = future.get();
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                entered += response.json().get("entered").asInt();
            }
            assertThat(entered).isEqualTo(contacts.size());
        } finally {
            pool.shutdownNow();
        }
        for (String contact : contacts) {
            assertThat(jdbc.queryForObject("select count(*) from flow_run where flow_id = ?::uuid and contact_id = ?::uuid",
                                           Integer.class, flow, contact)).isEqualTo(1);
        }
        // re-entry NEVER (the default): once the run ended, the contact may not enter again
        String done = activeFlow("""
                {"trigger":{"type":"api"},"nodes":[{"type":"entry","id":"start","next":"done"},{"type":"exit","id":"done"}]}""");
        String c = contacts.get(0);
        assertThat(enter(done, byIds(c), null).json().get("entered").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(run(done, c).get("state").asText()).isEqualTo("COMPLETED"));
        assertThat(enter(done, byIds(c), null).json().at("/results/0/outcome").asText()).isEqualTo("re-entry-window");
    }

    // --- runs ------------------------------------------------------------------------------------------------

    @Test
    void endToEnd_entryWait2sBranchWebhookExit_withTheDecisionLog() throws Exception {
        String flow = activeFlow(webhookFlow("/e2e", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT2S\",\"next\":\"is-pro\"}"));
        String pro = contact("pro");
        String free = contact("free");
        Instant entered = Instant.now();
        Response response = enter(flow, "{\"contacts\":[{\"contactId\":\"" + pro + "\"},{\"contactId\":\"" + free
                + "\"}],\"data\":{\"cartId\":\"cart-42\"}}", null);
        assertThat(response.json().get("entered").asInt()).as(response.toString()).isEqualTo(2);
        String runId = response.json().at("/results/0/runId").asText();

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(run(flow, pro).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(run(flow, free).get("state").asText()).isEqualTo("COMPLETED");
        });
        JsonNode proRun = run(flow, pro);
        assertThat(kinds(proRun)).containsExactly("entered", "waiting", "waited", "branch", "webhook-sending",
                                                  "webhook", "exited");
        assertThat(step(proRun, "branch").get("detail").asText()).isEqualTo("'is-pro' = true");
        assertThat(step(proRun, "exited").get("detail").asText()).isEqualTo("completed");
        JsonNode freeRun = run(flow, free);
        assertThat(kinds(freeRun)).containsExactly("entered", "waiting", "waited", "branch", "exited");
        assertThat(step(freeRun, "branch").get("detail").asText()).isEqualTo("'is-pro' = false");

        // the wait: never early, and within ~2 s of its due time
        Instant waiting = Instant.parse(step(proRun, "waiting").get("at").asText());
        Instant waited = Instant.parse(step(proRun, "waited").get("at").asText());
        assertThat(Duration.between(waiting, waited)).isGreaterThanOrEqualTo(Duration.ofSeconds(2))
                .isLessThan(Duration.ofSeconds(4));
        assertThat(waiting).isAfterOrEqualTo(entered.minusSeconds(1));

        // the webhook: once, signed, with the run's key and the rendered body
        List<WebhookSink.Received> received = sink.received.stream().filter(r -> r.path().equals("/e2e")).toList();
        assertThat(received).hasSize(1);
        WebhookSink.Received hook = received.get(0);
        assertThat(hook.idempotencyKey()).isEqualTo(runId + ":hook");
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(hook.body());
        assertThat(body.get("hello").asText()).isEqualTo("Ada");
        assertThat(body.get("cart").asText()).isEqualTo("cart-42");
        assertThat(body.get("id").asText()).isEqualTo(pro);
        long t = Long.parseLong(hook.signature().replaceAll("t=(\\d+),.*", "$1"));
        assertThat(hook.signature()).isEqualTo(WebhookChannel.signature(SECRET.getBytes(StandardCharsets.UTF_8), t,
                                                                          hook.body()));
    }

    /**
     * The runs of a claimed batch go through branch, split and wait nodes together (one query per branch node, one
     * write for the batch): each still gets its own answer, path and decision log, in order; those that reach a
     * webhook go on one by one from there and send it once each, with the contact's data.
     */
    @Test
    void batch_runsThroughBranchSplitAndWaitTogether_eachWithItsOwnAnswerPathAndLog() {
        String path = "/batch-" + UUID.randomUUID();
        String flow = activeFlow("""
                {"trigger":{"type":"api"},"nodes":[{"type":"entry","id":"start","next":"is-pro"},
                  {"type":"branch","id":"is-pro","rule":{"type":"attribute","attribute":"plan","operator":"eq","value":"pro"},
                   "trueNext":"hook","falseNext":"ab"},
                  {"type":"webhook","id":"hook","url":"%s","body":"{\\"id\\":\\"{{ id }}\\"}","next":"done"},
                  {"type":"split","id":"ab","paths":[{"name":"A","percent":50,"next":"pause"},
                                                     {"name":"B","percent":50,"next":"done"}]},
                  {"type":"wait","id":"pause","duration":"PT1S","next":"done"},
                  {"type":"exit","id":"done"}]}""".formatted(sink.url(path)));
        List<String> pro = new ArrayList<>();
        List<String> free = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pro.add(contact("pro"));
            free.add(contact("free"));
        }
        List<String> all = new ArrayList<>();
        for (int i = 0; i < pro.size(); i++) {
            all.add(free.get(i));
            all.add(pro.get(i));
        }
        Response entered = enter(flow, byIds(all.toArray(String[]::new)), null);
        assertThat(entered.json().get("entered").asInt()).as(entered.toString()).isEqualTo(all.size());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                jdbc.queryForObject("select count(*) from flow_run where flow_id = ?::uuid and state = 'COMPLETED'",
                                    Integer.class, flow)).isEqualTo(all.size()));
        for (String contact : pro) {
            JsonNode run = run(flow, contact);
            assertThat(kinds(run)).containsExactly("entered", "branch", "webhook-sending", "webhook", "exited");
            assertThat(step(run, "branch").get("detail").asText()).isEqualTo("'is-pro' = true");
            assertThat(step(run, "branch").get("edge").asText()).isEqualTo("trueNext");
            assertThat(hooks(path, contact)).hasSize(1);
        }
        int waited = 0;
        for (String contact : free) {
            JsonNode run = run(flow, contact);
            List<String> kinds = kinds(run);
            assertThat(kinds).isIn(List.of("entered", "branch", "split", "waiting", "waited", "exited"),
                                   List.of("entered", "branch", "split", "exited"));
            assertThat(step(run, "branch").get("detail").asText()).isEqualTo("'is-pro' = false");
            assertThat(step(run, "branch").get("edge").asText()).isEqualTo("falseNext");
            if (kinds.contains("waited")) {
                waited++;
                assertThat(Duration.between(Instant.parse(step(run, "waiting").get("at").asText()),
                                            Instant.parse(step(run, "waited").get("at").asText())))
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            }
        }
        // the split is the contacts' own (sticky per contact and node), not the batch's
        assertThat(waited).isEqualTo((int) free.stream().filter(contact -> jdbc.queryForObject(
                "select count(*) from flow_run_step s join flow_run r on r.run_id = s.run_id where r.flow_id = ?::uuid "
                        + "and r.contact_id = ?::uuid and s.kind = 'split' and s.detail like 'path ''A''%'",
                Integer.class, flow, contact) == 1).count());
        assertThat(sink.received.stream().filter(r -> r.path().equals(path))).hasSize(pro.size());
    }

    /**
     * Runs reaching send nodes in one claimed batch are sent together (written down as {@code sending} by one
     * statement, so at one time, and recorded together), each still with its own key, answer, decision log,
     * failure-log row and count: a 503 retried with the same key, a 400 failed and gone on, the others sent; then
     * through the wait to the second send, again together.
     */
    @Test
    void sendBatch_runsAtSendNodesGoOutTogether_eachWithItsOwnKeyOutcomeLogAndCount() {
        String path = "/send-batch-" + UUID.randomUUID();
        String flow = activeFlow("""
                {"trigger":{"type":"api"},"nodes":[{"type":"entry","id":"start","next":"hook"},
                  {"type":"send","id":"hook","channel":"WEBHOOK","next":"pause",
                   "content":{"url":"%1$s","payload":"{\\"first\\":\\"{{ id }}\\"}"}},
                  {"type":"wait","id":"pause","duration":"PT0.5S","next":"again"},
                  {"type":"send","id":"again","channel":"WEBHOOK","next":"done",
                   "content":{"url":"%1$s","payload":"{\\"second\\":\\"{{ id }}\\"}"}},
                  {"type":"exit","id":"done"}]}""".formatted(sink.url(path)));
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            contacts.add(contact(i % 2 == 0 ? "pro" : "free"));
        }
        var previous = sink.status;
        // by the key of the first send: every fifth refused for good (400), every third of the others 503 once
        sink.status = (key, seen) -> key == null || !key.endsWith(":hook") ? 200
                : Math.floorMod(key.hashCode(), 5) == 1 ? 400
                : Math.floorMod(key.hashCode(), 3) == 0 && seen == 1 ? 503 : 200;
        try {
            Response entered = enter(flow, byIds(contacts.toArray(String[]::new)), null);
            assertThat(entered.json().get("entered").asInt()).as(entered.toString()).isEqualTo(contacts.size());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                    jdbc.queryForObject("select count(*) from flow_run where flow_id = ?::uuid and state = 'COMPLETED'",
                                        Integer.class, flow)).isEqualTo(contacts.size()));
        } finally {
            sink.status = previous;
        }
        int refused = 0;
        int retried = 0;
        int sent = 0;
        for (String contact : contacts) {
            JsonNode run = run(flow, contact);
            String runId = run.get("runId").asText();
            String key = runId + ":hook";
            List<WebhookSink.Received> received = sink.received.stream()
                    .filter(r -> r.path().equals(path) && r.body().contains(contact)).toList();
            if (Math.floorMod(key.hashCode(), 5) == 1) {
                refused++;
                assertThat(kinds(run)).containsExactly("entered", "sending", "send-failed", "waiting", "waited",
                                                       "sending", "sent", "exited");
                assertThat(step(run, "send-failed").get("detail").asText()).contains("not retried, going on");
                assertThat(received).extracting(WebhookSink.Received::idempotencyKey)
                        .containsExactly(key, runId + ":again");
            } else if (Math.floorMod(key.hashCode(), 3) == 0) {
                retried++;
                assertThat(kinds(run)).containsExactly("entered", "sending", "send-retry", "sending", "sent",
                                                       "waiting", "waited", "sending", "sent", "exited");
                assertThat(received).extracting(WebhookSink.Received::idempotencyKey)
                        .containsExactly(key, key, runId + ":again");
            } else {
                assertThat(kinds(run)).containsExactly("entered", "sending", "sent", "waiting", "waited", "sending",
                                                       "sent", "exited");
                assertThat(received).extracting(WebhookSink.Received::idempotencyKey)
                        .containsExactly(key, runId + ":again");
            }
            sent += (int) kinds(run).stream().filter("sent"::equals).count();
            assertThat(received.get(0).body()).isEqualTo("{\"first\":\"" + contact + "\"}");
            assertThat(received.get(received.size() - 1).body()).isEqualTo("{\"second\":\"" + contact + "\"}");
        }
        assertThat(refused).as("the sink's answers cover each outcome").isPositive();
        assertThat(retried).isPositive();
        // written down together: the first sends' 'sending' rows of the batch share their time (one statement each
        // group), where one by one each has its own
        Integer times = jdbc.queryForObject("select count(distinct s.at) from flow_run_step s join flow_run r "
                                                    + "on r.run_id = s.run_id where r.flow_id = ?::uuid "
                                                    + "and s.kind = 'sending' and s.node_id = 'hook'",
                                            Integer.class, flow);
        assertThat(times).isLessThanOrEqualTo(contacts.size() / 3);
        // each send counted once in the flow's total, each failure logged once
        assertThat(jdbc.queryForObject("select sum(sends) from flow_send_total where flow_id = ?::uuid", Long.class,
                                       flow)).isEqualTo(sent);
        assertThat(jdbc.queryForObject("select count(*) from delivery_failure where flow_id = ?::uuid "
                                               + "and outcome = 'FAILED' and reason = 'rejected'", Integer.class, flow))
                .isEqualTo(refused);
        assertThat(jdbc.queryForObject("select count(*) from delivery_failure where flow_id = ?::uuid "
                                               + "and outcome = 'RETRY_SCHEDULED'", Integer.class, flow))
                .isEqualTo(retried);
    }

    @Test
    void webhook_5xx_isRetriedWithTheSameKey_andTheLogSaysSo() {
        String flow = activeFlow(webhookFlow("/flaky", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT0.1S\",\"next\":\"is-pro\"}"));
        String pro = contact("pro");
        var previous = sink.status;
        sink.status = (key, seen) -> key != null && key.endsWith(":hook") && seen == 1 ? 503 : 200;
        try {
            enter(flow, byIds(pro), null);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(
                    () -> assertThat(run(flow, pro).get("state").asText()).isEqualTo("COMPLETED"));
        } finally {
            sink.status = previous;
        }
        JsonNode run = run(flow, pro);
        assertThat(kinds(run)).containsSubsequence("webhook-sending", "webhook-retry", "webhook-sending", "webhook");
        List<WebhookSink.Received> received = sink.received.stream().filter(r -> r.path().equals("/flaky")).toList();
        assertThat(received).hasSize(2);
        assertThat(received.get(0).idempotencyKey()).isEqualTo(received.get(1).idempotencyKey())
                .isEqualTo(run.get("runId").asText() + ":hook");
    }

    /**
     * A worker killed after writing a webhook down and before recording its answer (here: its claim, as the
     * database holds it then, with a worker that no longer runs): once the lease runs out another worker claims
     * the run and sends the webhook again with the same Idempotency-Key, then goes on.
     */
    @Test
    void aDeadWorkersRun_atAWebhook_isTakenOverAfterItsLease_andSentAgainWithTheSameKey() {
        String flow = activeFlow(webhookFlow("/drill", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT1H\",\"next\":\"is-pro\"}"));
        String pro = contact("pro");
        String runId = enter(flow, byIds(pro), null).json().at("/results/0/runId").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(run(flow, pro).get("state").asText()).isEqualTo("WAITING"));
        // what a worker killed mid-send leaves: the run claimed at the webhook, "webhook-sending" written down
        jdbc.update("update flow_run set node_id = 'hook', state = 'ACTIVE', reason = null, due_at = now(), "
                            + "worker_id = 'flow-worker-dead', lease_until = now() + interval '1 second' "
                            + "where run_id = ?::uuid", runId);
        jdbc.update("insert into flow_run_step (run_id, at, node_id, kind, detail) values (?::uuid, now(), 'hook', "
                            + "'webhook-sending', 'attempt 1, Idempotency-Key ' || ? || ':hook')", runId, runId);
        Instant killed = Instant.now();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(run(flow, pro).get("state").asText()).isEqualTo("COMPLETED"));
        List<WebhookSink.Received> received = sink.received.stream().filter(r -> r.path().equals("/drill")).toList();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).idempotencyKey()).isEqualTo(runId + ":hook");
        // not before the dead worker's lease ran out
        assertThat(received.get(0).at()).isGreaterThanOrEqualTo(killed.toEpochMilli() + 900);
        assertThat(kinds(run(flow, pro))).containsSubsequence("webhook-sending", "webhook-sending", "webhook", "exited");
    }

    @Test
    void split_isStickyAndReproducible_perContactAndNode() throws Exception {
        String definition = """
                {"trigger":{"type":"api"},"entry":{"concurrency":"PER_CONTACT","reEntry":"AFTER_DAYS","reEntryAfterDays":1},
                 "nodes":[{"type":"entry","id":"start","next":"ab"},
                   {"type":"split","id":"ab","paths":[{"name":"A","percent":50,"next":"a"},{"name":"B","percent":50,"next":"b"}]},
                   {"type":"update_contact","id":"a","set":{"variant":"A"},"next":"done"},
                   {"type":"update_contact","id":"b","set":{"variant":"B"},"next":"done"},
                   {"type":"exit","id":"done"}]}""";
        String one = activeFlow(definition);
        String two = activeFlow(definition);
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            contacts.add(contact("free"));
        }
        enter(one, byIds(contacts.toArray(String[]::new)), null);
        enter(two, byIds(contacts.toArray(String[]::new)), null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String contact : contacts) {
                assertThat(run(one, contact).get("state").asText()).isEqualTo("COMPLETED");
                assertThat(run(two, contact).get("state").asText()).isEqualTo("COMPLETED");
            }
        });
        for (String contact : contacts) {
            String path = step(run(one, contact), "split").get("detail").asText();
            // the same contact at a node of the same id takes the same path, in another flow too
            assertThat(step(run(two, contact), "split").get("detail").asText()).isEqualTo(path);
            int bucket = bucket(contact, "ab");
            assertThat(path).isEqualTo("path '" + (bucket < 50 ? "A" : "B") + "' (bucket " + bucket + ")");
            // the update_contact node ran through the contact's own command
            assertThat(api.get("/api/contacts/" + contact).json().at("/attributes/variant").asText())
                    .isEqualTo(bucket < 50 ? "A" : "B");
            assertThat(step(run(one, contact), "contact-updated").get("detail").asText()).isEqualTo("set [variant]");
        }
    }

    private static int bucket(String contactId, String nodeId) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest((contactId + ":" + nodeId).getBytes(StandardCharsets.UTF_8));
        return (int) Math.floorMod(ByteBuffer.wrap(digest, 0, 8).getLong(), 100L);
    }

    @Test
    void pause_holdsTheWaits_resume_continuesThem() {
        String flow = activeFlow(webhookFlow("/paused", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT1S\",\"next\":\"is-pro\"}"));
        String pro = contact("pro");
        enter(flow, byIds(pro), null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(run(flow, pro).get("state").asText()).isEqualTo("WAITING"));
        assertThat(api.post("/api/flows/" + flow + "/pause", null).status()).isEqualTo(200);
        Instant due = Instant.parse(run(flow, pro).get("dueAt").asText());
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(Instant.now()).isAfter(due.plusSeconds(1));
        JsonNode held = run(flow, pro);
        assertThat(held.get("state").asText()).isEqualTo("WAITING");
        assertThat(held.path("nodeId").asText()).isEqualTo("pause");
        assertThat(sink.received.stream().filter(r -> r.path().equals("/paused"))).isEmpty();

        assertThat(api.post("/api/flows/" + flow + "/resume", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(run(flow, pro).get("state").asText()).isEqualTo("COMPLETED"));
        assertThat(sink.received.stream().filter(r -> r.path().equals("/paused"))).hasSize(1);
    }

    @Test
    void stop_stopsEveryLiveRun_withALogRow() {
        String flow = activeFlow(webhookFlow("/stopped", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT1H\",\"next\":\"is-pro\"}"));
        String a = contact("pro");
        String b = contact("pro");
        enter(flow, byIds(a, b), null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(run(flow, b).get("state").asText()).isEqualTo("WAITING"));
        assertThat(api.post("/api/flows/" + flow + "/stop", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String contact : List.of(a, b)) {
                JsonNode run = run(flow, contact);
                assertThat(run.get("state").asText()).isEqualTo("STOPPED");
                assertThat(kinds(run)).last().isEqualTo("stopped");
            }
        });
        assertThat(sink.received.stream().filter(r -> r.path().equals("/stopped"))).isEmpty();
    }

    /** A contact with an e-mail address, a phone (or none) and consents (channel to status). */
    private static String reachable(String phone, Map<String, String> consent) {
        StringBuilder consents = new StringBuilder();
        consent.forEach((channel, status) -> consents.append(consents.isEmpty() ? "" : ",")
                .append('"').append(channel).append("\":\"").append(status).append('"'));
        Response created = api.post("/api/contacts", "{\"email\":\"s" + UUID.randomUUID().toString().substring(0, 12)
                + "@example.com\"" + (phone == null ? "" : ",\"phone\":\"" + phone + "\"")
                + ",\"attributes\":{\"first_name\":\"Ada\"},\"consent\":{" + consents + "}}");
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        return created.json().get("id").asText();
    }

    private static String email(String contactId) {
        return api.get("/api/contacts/" + contactId).json().get("email").asText();
    }

    private static List<MimeMessage> mailTo(String address) throws Exception {
        return Mailbox.to(mail, address);
    }

    @Test
    void sendNodes_sendEmailSmsAndWebhook_withTriggerData_throughTheDeliveryChannels_andSkipWithoutConsent()
            throws Exception {
        String flow = activeFlow("""
                {"trigger":{"type":"api"},"nodes":[{"type":"entry","id":"start","next":"mail"},
                  {"type":"send","id":"mail","channel":"EMAIL","next":"text",
                   "content":{"subject":"Your cart {{ trigger.cartId }}","body":"Hi {{ first_name }}, see {{ unsubscribe_url }}"}},
                  {"type":"send","id":"text","channel":"SMS","content":{"body":"Cart {{ trigger.cartId }} waits"},"next":"hook"},
                  {"type":"send","id":"hook","channel":"WEBHOOK","next":"done",
                   "content":{"url":"%s","payload":"{\\"cart\\":\\"{{ trigger.cartId }}\\",\\"run\\":\\"{{ flow.run_id }}\\"}"}},
                  {"type":"exit","id":"done"}]}""".formatted(sink.url("/flow-send")));
        String a = reachable("+33612000001", Map.of());
        String b = reachable(null, Map.of("EMAIL", "UNSUBSCRIBED"));
        Response entered = enter(flow, "{\"contacts\":[{\"contactId\":\"" + a + "\"},{\"contactId\":\"" + b
                + "\"}],\"data\":{\"cartId\":\"c-42\"}}", null);
        assertThat(entered.status()).as(entered.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(run(flow, a).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(run(flow, b).get("state").asText()).isEqualTo("COMPLETED");
        });

        JsonNode runA = run(flow, a);
        assertThat(kinds(runA)).containsExactly("entered", "sending", "sent", "sending", "sent", "sending", "sent",
                                                "exited");
        List<MimeMessage> mails = mailTo(email(a));
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getSubject()).isEqualTo("Your cart c-42");
        assertThat(mails.get(0).getContent().toString()).contains("Hi Ada, see http").contains("/unsubscribe/");
        assertThat(mails.get(0).getHeader("List-Unsubscribe")[0]).contains("/unsubscribe/");
        assertThat(sink.received.stream().filter(r -> r.path().contains("Messages.json")
                && r.body().contains("c-42"))).hasSize(1);
        String runId = runA.get("runId").asText();
        List<WebhookSink.Received> hooks = sink.received.stream()
                .filter(r -> r.path().equals("/flow-send") && r.body().contains(runId)).toList();
        assertThat(hooks).hasSize(1);
        assertThat(hooks.get(0).body()).isEqualTo("{\"cart\":\"c-42\",\"run\":\"" + runId + "\"}");
        assertThat(hooks.get(0).idempotencyKey()).isEqualTo(runId + ":hook");

        JsonNode runB = run(flow, b);
        assertThat(kinds(runB)).containsExactly("entered", "send-skipped", "send-skipped", "sending", "sent", "exited");
        assertThat(runB.get("steps").get(1).get("detail").asText()).contains("e-mail 'Your cart {{ trigger.cartId }}'")
                .contains("unsubscribed");
        assertThat(runB.get("steps").get(2).get("detail").asText()).contains("no-address");
        assertThat(mailTo(email(b))).isEmpty();
    }

    @Test
    void sendNode_leftSendingByADeadWorker_emailIsRecordedUnknown_neverSentTwice_webhookIsResentWithItsKey()
            throws Exception {
        String flow = activeFlow("""
                {"trigger":{"type":"api"},"nodes":[{"type":"entry","id":"start","next":"pause"},
                  {"type":"wait","id":"pause","duration":"PT1H","next":"mail"},
                  {"type":"send","id":"mail","channel":"EMAIL","content":{"subject":"Once","body":"Only once"},"next":"hook"},
                  {"type":"send","id":"hook","channel":"WEBHOOK","content":{"url":"%s"},"next":"done"},
                  {"type":"exit","id":"done"}]}""".formatted(sink.url("/left-sending")));
        String a = reachable(null, Map.of());
        String b = reachable(null, Map.of());
        enter(flow, byIds(a, b), null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(run(flow, a).get("state").asText()).isEqualTo("WAITING");
            assertThat(run(flow, b).get("state").asText()).isEqualTo("WAITING");
        });
        // what a worker killed between writing a send down and recording its outcome leaves behind: the run
        // 'sending' at the node, held by a worker whose lease has run out
        String runA = run(flow, a).get("runId").asText();
        String runB = run(flow, b).get("runId").asText();
        jdbc.update("update flow_run set node_id = 'mail', state = 'ACTIVE', reason = 'sending', due_at = now(), "
                            + "worker_id = 'killed-worker', lease_until = now() - interval '1 second' where run_id = ?",
                    UUID.fromString(runA));
        jdbc.update("update flow_run set node_id = 'hook', state = 'ACTIVE', reason = 'sending', due_at = now(), "
                            + "worker_id = 'killed-worker', lease_until = now() - interval '1 second' where run_id = ?",
                    UUID.fromString(runB));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(run(flow, a).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(run(flow, b).get("state").asText()).isEqualTo("COMPLETED");
        });
        assertThat(kinds(run(flow, a))).containsSubsequence("send-unknown", "sending", "sent", "exited");
        assertThat(step(run(flow, a), "send-unknown").get("detail").asText()).contains("not sent again");
        assertThat(mailTo(email(a))).isEmpty();
        // the webhook after it went out once; b's webhook went out again with the key it had
        assertThat(sink.received.stream().filter(r -> r.path().equals("/left-sending")).map(r -> r.idempotencyKey()))
                .containsExactlyInAnyOrder(runA + ":hook", runB + ":hook");

        Response failures = api.get("/api/failures?flowId=" + flow);
        assertThat(failures.status()).as(failures.toString()).isEqualTo(200);
        assertThat(failures.json().get("items")).hasSize(1);
        JsonNode failure = failures.json().get("items").get(0);
        assertThat(failure.get("outcome").asText()).isEqualTo("UNKNOWN");
        assertThat(failure.path("reason").asText()).isEqualTo("worker-lost");
        assertThat(failure.get("flowNodeId").asText()).isEqualTo("mail");
        assertThat(failure.get("flowRunId").asText()).isEqualTo(runA);
        assertThat(failure.get("contactId").asText()).isEqualTo(a);
        assertThat(failure.path("campaignId").isMissingNode() || failure.get("campaignId").isNull()).isTrue();
        assertProblem(api.get("/api/failures?flowId=not-a-uuid"), 400, "request.invalid");
    }

    // --- event triggers -----------------------------------------------------------------------------------

    private static Response track(String userId, String event, String properties, String messageId) {
        return api.post("/api/track", "{\"userId\":\"" + userId + "\",\"event\":\"" + event + "\",\"properties\":"
                + properties + (messageId == null ? "" : ",\"messageId\":\"" + messageId + "\"") + "}");
    }

    @Test
    void eventTrigger_aMatchingTrackedEvent_entersItsContact_deduplicatedByTheTriggersKey() {
        String event = "Cart Abandoned " + UUID.randomUUID();
        String flow = activeFlow("""
                {"trigger":{"type":"event","event":"%s","where":[{"property":"total","operator":"gte","value":50}],
                            "dedupKey":"cartId"},
                 "entry":{"concurrency":"PER_DEDUP_KEY","reEntry":"NEVER"},
                 "nodes":[{"type":"entry","id":"start","next":"hold"},
                   {"type":"wait","id":"hold","duration":"PT1H","next":"done"},{"type":"exit","id":"done"}]}""".formatted(event));
        String contact = contact("pro");
        String userId = api.get("/api/contacts/" + contact).json().get("externalId").asText();
        // the flow list is read again every 2 s by the trigger processor
        await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(5)).until(() -> true);

        assertThat(track(userId, event, "{\"cartId\":\"c1\",\"total\":20}", null).status()).isEqualTo(200);
        assertThat(track(userId, event, "{\"cartId\":\"c1\",\"total\":80}", null).status()).isEqualTo(200);
        assertThat(track(userId, event, "{\"cartId\":\"c1\",\"total\":90}", null).status()).isEqualTo(200);
        assertThat(track(userId, event, "{\"cartId\":\"c2\",\"total\":99}", null).status()).isEqualTo(200);
        // a key longer than a stored key may be (300) de-duplicates by its hash
        String longKey = "x".repeat(400);
        assertThat(track(userId, event, "{\"cartId\":\"" + longKey + "\",\"total\":99}", null).status())
                .isEqualTo(200);
        assertThat(track(userId, event, "{\"cartId\":\"" + longKey + "\",\"total\":98}", null).status())
                .isEqualTo(200);
        assertThat(track(userId, "Other " + event, "{\"cartId\":\"c3\",\"total\":99}", null).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode runs = api.get("/api/flows/" + flow + "/runs?contactId=" + contact).json();
            assertThat(runs.get("totalItems").asLong()).isEqualTo(3);
            List<String> keys = new ArrayList<>();
            runs.get("items").forEach(r -> keys.add(r.get("dedupKey").asText()));
            assertThat(keys).containsExactlyInAnyOrder("c1", "c2",
                    "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(longKey.getBytes(StandardCharsets.UTF_8))));
            runs.get("items").forEach(r -> assertThat(r.get("state").asText()).isEqualTo("WAITING"));
        });
        JsonNode c1 = null;
        for (JsonNode run : api.get("/api/flows/" + flow + "/runs?contactId=" + contact).json().get("items")) {
            if (run.get("dedupKey").asText().equals("c1")) {
                c1 = run;
            }
        }
        // the first event that matched (total 80) entered; its properties are the run's trigger data
        assertThat(c1.at("/data/total").asInt()).isEqualTo(80);
        assertThat(step(c1, "entered").get("detail").asText()).startsWith("entered on event '" + event + "'");
    }

    /** An active flow entered on {@code event} (one run per contact) whose runs wait an hour. */
    private static String heldOnEvent(String event) {
        return activeFlow("""
                {"trigger":{"type":"event","event":"%s"},
                 "nodes":[{"type":"entry","id":"start","next":"hold"},
                   {"type":"wait","id":"hold","duration":"PT1H","next":"done"},{"type":"exit","id":"done"}]}""".formatted(event));
    }

    private static String externalId(String contactId) {
        return api.get("/api/contacts/" + contactId).json().get("externalId").asText();
    }

    @Test
    void eventTrigger_perContact_withoutADedupKeyProperty_usesTheMessageId() {
        String event = "Signed Up " + UUID.randomUUID();
        String flow = heldOnEvent(event);
        String contact = contact("free");
        String userId = externalId(contact);
        await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(5)).until(() -> true);
        String messageId = "m-" + UUID.randomUUID();
        track(userId, event, "{}", messageId);
        track(userId, event, "{}", null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode runs = api.get("/api/flows/" + flow + "/runs?contactId=" + contact).json();
            assertThat(runs.get("totalItems").asLong()).isEqualTo(1);
            assertThat(runs.at("/items/0/dedupKey").asText()).isEqualTo(messageId);
        });
        // the second event found the contact in the flow (one live run per contact)
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(api.get("/api/flows/" + flow + "/runs?contactId=" + contact).json().get("totalItems").asLong())
                .isEqualTo(1);
    }

    /**
     * A trigger event whose handling fails is parked, not dropped: here the database refuses the contact's run (a
     * trigger on flow_run) until the test lifts it; the recurring retry then enters the contact.
     */
    @Test
    void eventTrigger_whoseHandlingFails_isParked_andEntersItsContactOnceRetried() {
        String event = "Browsed " + UUID.randomUUID();
        String flow = heldOnEvent(event);
        String contact = contact("free");
        String userId = externalId(contact);
        String refusal = "refuse_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.execute("create function " + refusal + "() returns trigger language plpgsql as $$ begin "
                     + "if new.contact_id = '" + contact + "'::uuid then raise exception 'refused by the test'; end if; "
                     + "return new; end $$");
        jdbc.execute("create trigger " + refusal + " before insert on flow_run for each row execute function "
                     + refusal + "()");
        try {
            await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(5)).until(() -> true);
            String messageId = "parked-" + UUID.randomUUID();
            assertThat(track(userId, event, "{}", messageId).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                    "select count(*) from dead_letter_entry where processing_group = 'flow-triggers' "
                    + "and cause_message like '%refused by the test%'", Integer.class) > 0);
            assertThat(api.get("/api/flows/" + flow + "/runs?contactId=" + contact).json().get("totalItems").asLong())
                    .isZero();
            // the parked event holds up no one else's
            String other = contact("free");
            track(externalId(other), event, "{}", null);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    api.get("/api/flows/" + flow + "/runs?contactId=" + other).json().get("totalItems").asLong())
                    .isEqualTo(1));
        } finally {
            jdbc.execute("drop trigger " + refusal + " on flow_run");
            jdbc.execute("drop function " + refusal + "()");
        }
        var scheduler = herald.bean(com.github.kagkarlsson.scheduler.Scheduler.class);
        scheduler.reschedule(com.github.kagkarlsson.scheduler.task.TaskInstanceId.of("flow-trigger-dead-letters",
                                                                                    "recurring"), Instant.now());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                api.get("/api/flows/" + flow + "/runs?contactId=" + contact).json().get("totalItems").asLong())
                .isEqualTo(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "select count(*) from dead_letter_entry where processing_group = 'flow-triggers' "
                + "and cause_message like '%refused by the test%'", Integer.class) == 0);
    }

    @Test
    void runs_ofAnUnknownFlow_are404() {
        assertProblem(api.get("/api/flows/" + UUID.randomUUID() + "/runs"), 404, "flow.not-found");
    }

    // --- wait_for_event and exit conditions ---------------------------------------------------------------------

    private static String userId(String contactId) {
        return api.get("/api/contacts/" + contactId).json().get("externalId").asText();
    }

    /** The trigger processor reads the flows (their triggers, waits and exit conditions) again every 2 s. */
    private static void flowsReadAgain() {
        await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(5)).until(() -> true);
    }

    private static List<WebhookSink.Received> hooks(String path, String contains) {
        return sink.received.stream().filter(r -> r.path().equals(path) && r.body().contains(contains)).toList();
    }

    @Test
    void waitForEvent_goesOnWhenTheKeyedEventComes_countsOneAlreadyReceived_andTimesOutOtherwise() {
        String abandoned = "Cart Abandoned " + UUID.randomUUID();
        String ordered = "Order Completed " + UUID.randomUUID();
        String flow = activeFlow("""
                {"trigger":{"type":"event","event":"%s","dedupKey":"cartId"},
                 "entry":{"concurrency":"PER_DEDUP_KEY","reEntry":"NEVER"},
                 "nodes":[{"type":"entry","id":"start","next":"grace"},
                   {"type":"wait","id":"grace","duration":"PT2S","next":"order"},
                   {"type":"wait_for_event","id":"order","event":"%s","matchKey":"cartId",
                    "where":[{"property":"total","operator":"gt","value":0}],
                    "timeout":"PT4S","next":"bought","timeoutNext":"remind"},
                   {"type":"webhook","id":"bought","url":"%s","body":"{\\"cart\\":\\"{{ trigger.cartId }}\\"}","next":"done"},
                   {"type":"webhook","id":"remind","url":"%s","body":"{\\"cart\\":\\"{{ trigger.cartId }}\\"}","next":"done"},
                   {"type":"exit","id":"done"}]}""".formatted(abandoned, ordered, sink.url("/bought"), sink.url("/remind")));
        String a = contact("pro");
        String b = contact("pro");
        String c = contact("pro");
        String cartA = "a-" + UUID.randomUUID();
        String cartB = "b-" + UUID.randomUUID();
        String cartC = "c-" + UUID.randomUUID();
        flowsReadAgain();

        // a orders during the grace wait, before the run reaches the wait for it: it counts
        assertThat(track(userId(a), abandoned, "{\"cartId\":\"" + cartA + "\"}", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(run(flow, a).path("nodeId").asText()).isEqualTo("grace"));
        assertThat(track(userId(a), ordered, "{\"cartId\":\"" + cartA + "\",\"total\":10}", null).status())
                .isEqualTo(200);
        // b orders while its run waits at the node
        assertThat(track(userId(b), abandoned, "{\"cartId\":\"" + cartB + "\"}", null).status()).isEqualTo(200);
        // c orders another cart, and this cart for nothing (where total > 0 fails): it times out
        Instant enteredC = Instant.now();
        assertThat(track(userId(c), abandoned, "{\"cartId\":\"" + cartC + "\"}", null).status()).isEqualTo(200);
        assertThat(track(userId(c), ordered, "{\"cartId\":\"other\",\"total\":10}", null).status()).isEqualTo(200);
        assertThat(track(userId(c), ordered, "{\"cartId\":\"" + cartC + "\",\"total\":0}", null).status())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode run = run(flow, b);
            assertThat(run.path("nodeId").asText()).isEqualTo("order");
            assertThat(run.path("reason").asText()).isEqualTo("wait-for-event");
        });
        Instant orderedB = Instant.now();
        assertThat(track(userId(b), ordered, "{\"cartId\":\"" + cartB + "\",\"total\":5}", null).status())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String contact : List.of(a, b, c)) {
                assertThat(run(flow, contact).get("state").asText()).isEqualTo("COMPLETED");
            }
        });
        assertThat(hooks("/bought", cartA)).hasSize(1);
        assertThat(hooks("/remind", cartA)).isEmpty();
        assertThat(step(run(flow, a), "event-received").get("detail").asText()).contains("already received");

        assertThat(hooks("/bought", cartB)).hasSize(1);
        assertThat(hooks("/remind", cartB)).isEmpty();
        // woken by the event, well before its timeout
        assertThat(hooks("/bought", cartB).get(0).at() - orderedB.toEpochMilli()).isLessThan(3000);
        assertThat(kinds(run(flow, b))).containsSubsequence("waiting-for-event", "event-received", "webhook-sending");

        assertThat(hooks("/remind", cartC)).hasSize(1);
        assertThat(hooks("/bought", cartC)).isEmpty();
        assertThat(kinds(run(flow, c))).containsSubsequence("waiting-for-event", "timed-out", "webhook-sending");
        // never early: 2 s of grace and the 4 s timeout
        assertThat(hooks("/remind", cartC).get(0).at() - enteredC.toEpochMilli()).isGreaterThanOrEqualTo(6000);
    }

    @Test
    void exitOn_aMatchingEventEndsTheRun_andOneThatDoesNotMatchLeavesIt() {
        String quit = "Subscription Cancelled " + UUID.randomUUID();
        String flow = activeFlow("""
                {"trigger":{"type":"api"},
                 "entry":{"exitOn":[{"event":"%s","where":[{"property":"plan","operator":"eq","value":"gold"}]}]},
                 "nodes":[{"type":"entry","id":"start","next":"pause"},
                   {"type":"wait","id":"pause","duration":"PT1H","next":"hook"},
                   {"type":"webhook","id":"hook","url":"%s","next":"done"},
                   {"type":"exit","id":"done"}]}""".formatted(quit, sink.url("/never")));
        String a = contact("pro");
        String b = contact("pro");
        enter(flow, byIds(a, b), null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(run(flow, a).get("state").asText()).isEqualTo("WAITING");
            assertThat(run(flow, b).get("state").asText()).isEqualTo("WAITING");
        });
        flowsReadAgain();
        assertThat(track(userId(a), quit, "{\"plan\":\"gold\"}", "quit-" + a).status()).isEqualTo(200);
        assertThat(track(userId(b), quit, "{\"plan\":\"silver\"}", "quit-" + b).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode run = run(flow, a);
            assertThat(run.get("state").asText()).isEqualTo("EXITED");
            assertThat(kinds(run)).last().isEqualTo("exited");
            assertThat(step(run, "exited").get("detail").asText()).contains(quit).contains("quit-" + a);
        });
        // b's event came after a's on the same processor: handled by now
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(run(flow, b).get("state").asText()).isEqualTo("WAITING");
        assertThat(sink.received.stream().filter(r -> r.path().equals("/never"))).isEmpty();
    }

    // --- statistics -------------------------------------------------------------------------------------------

    private static JsonNode node(JsonNode stats, String id) {
        for (JsonNode node : stats.get("nodes")) {
            if (node.path("nodeId").asText().equals(id)) {
                return node;
            }
        }
        throw new AssertionError("no node " + id + " in " + stats);
    }

    private static long edge(JsonNode stats, String from, String field) {
        for (JsonNode edge : stats.get("edges")) {
            if (edge.get("from").asText().equals(from) && edge.get("field").asText().equals(field)) {
                return edge.get("count").asLong();
            }
        }
        return 0;
    }

    private static String nextWithin(java.util.Iterator<String> lines) throws Exception {
        return java.util.concurrent.CompletableFuture.supplyAsync(lines::next)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void stats_countEachNodeAndEdge_fromTheRuns_andStreamWhenTheyChange() throws Exception {
        String flow = activeFlow(webhookFlow("/stats", "{\"type\":\"wait\",\"id\":\"pause\",\"duration\":\"PT1S\",\"next\":\"is-pro\"}"));
        String pro = contact("pro");
        String free = contact("free");
        String later = contact("pro");
        enter(flow, byIds(pro, free), null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(run(flow, pro).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(run(flow, free).get("state").asText()).isEqualTo("COMPLETED");
        });
        Response got = api.get("/api/flows/" + flow + "/stats");
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        JsonNode stats = got.json();
        assertThat(stats.get("runs").get("total").asLong()).isEqualTo(2);
        assertThat(stats.get("runs").get("completed").asLong()).isEqualTo(2);
        assertThat(node(stats, "start").get("entered").asLong()).isEqualTo(2);
        assertThat(node(stats, "start").get("passed").asLong()).isEqualTo(2);
        assertThat(node(stats, "pause").get("passed").asLong()).isEqualTo(2);
        assertThat(node(stats, "pause").get("inNode").asLong()).isZero();
        assertThat(node(stats, "is-pro").get("entered").asLong()).isEqualTo(2);
        assertThat(node(stats, "hook").get("entered").asLong()).isEqualTo(1);
        assertThat(node(stats, "hook").get("sent").asLong()).isEqualTo(1);
        assertThat(node(stats, "done").get("entered").asLong()).isEqualTo(2);
        assertThat(node(stats, "done").get("type").asText()).isEqualTo("exit");
        assertThat(edge(stats, "is-pro", "trueNext")).isEqualTo(1);
        assertThat(edge(stats, "is-pro", "falseNext")).isEqualTo(1);
        assertThat(edge(stats, "start", "next")).isEqualTo(2);
        assertThat(edge(stats, "hook", "next")).isEqualTo(1);

        // the stream: the counts at once, then again when a run moves
        HttpResponse<java.util.stream.Stream<String>> stream = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(api.base() + "/api/flows/" + flow + "/stats/stream"))
                        .header("Authorization", api.defaultHeader("Authorization"))
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        java.util.Iterator<String> lines = stream.body().filter(line -> line.startsWith("data:")).iterator();
        assertThat(JSON.readTree(nextWithin(lines).substring(5)).get("runs").get("total").asLong()).isEqualTo(2);
        enter(flow, byIds(later), null);
        JsonNode next = JSON.readTree(nextWithin(lines).substring(5));
        assertThat(next.get("runs").get("total").asLong()).isEqualTo(3);
        stream.body().close();

        assertProblem(api.get("/api/flows/" + UUID.randomUUID() + "/stats"), 404, "flow.not-found");
        assertProblem(api.get("/api/flows/" + flow + "/stats?version=9"), 404, "flow.version.not-found");
        assertThat(api.get("/api/flows/" + flow + "/stats?version=1").json().get("runs").get("total").asLong())
                .isEqualTo(3);
    }

    // --- moving runs between versions ----------------------------------------------------------------------------

    @Test
    void moveRuns_waitingRunsGoToTheLaterVersionByNodeId_othersStay_andTheHistorySaysSo() {
        String v1 = """
                {"trigger":{"type":"api"},"nodes":[{"type":"entry","id":"start","next":"is-pro"},
                  {"type":"branch","id":"is-pro","rule":{"type":"attribute","attribute":"plan","operator":"eq","value":"pro"},
                   "trueNext":"pause","falseNext":"hold"},
                  {"type":"wait","id":"pause","duration":"PT3S","next":"hook"},
                  {"type":"wait","id":"hold","duration":"PT1H","next":"hook"},
                  {"type":"webhook","id":"hook","url":"%s","next":"done"},
                  {"type":"exit","id":"done"}]}""".formatted(sink.url("/move-v1"));
        String flow = activeFlow(v1);
        String pro = contact("pro");
        String free = contact("free");
        enter(flow, byIds(pro, free), null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(run(flow, pro).path("nodeId").asText()).isEqualTo("pause");
            assertThat(run(flow, free).path("nodeId").asText()).isEqualTo("hold");
        });
        String v2 = """
                {"trigger":{"type":"api"},"nodes":[{"type":"entry","id":"start","next":"is-pro"},
                  {"type":"branch","id":"is-pro","rule":{"type":"attribute","attribute":"plan","operator":"eq","value":"pro"},
                   "trueNext":"pause","falseNext":"done"},
                  {"type":"wait","id":"pause","duration":"PT3S","next":"hook2"},
                  {"type":"webhook","id":"hook2","url":"%s","next":"done"},
                  {"type":"exit","id":"done"}]}""".formatted(sink.url("/move-v2"));
        Response draft = api.put("/api/flows/" + flow + "/draft", "{\"name\":\"Moved\",\"definition\":" + v2 + "}");
        assertThat(draft.status()).as(draft.toString()).isEqualTo(200);
        assertThat(api.post("/api/flows/" + flow + "/publish", null).status()).isEqualTo(200);

        assertProblem(api.post("/api/flows/" + flow + "/runs/move", "{\"fromVersion\":2,\"toVersion\":1}"), 422,
                      "flow.runs-move.invalid");
        assertProblem(api.post("/api/flows/" + flow + "/runs/move", "{\"fromVersion\":1,\"toVersion\":9}"), 404,
                      "flow.version.not-found");
        assertProblem(api.post("/api/flows/" + UUID.randomUUID() + "/runs/move",
                               "{\"fromVersion\":1,\"toVersion\":2}"), 404, "flow.not-found");
        Response moved = api.post("/api/flows/" + flow + "/runs/move", "{\"fromVersion\":1,\"toVersion\":2}");
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("moved").asLong()).isEqualTo(1);
        assertThat(moved.json().get("stayed").asLong()).isEqualTo(1);
        assertThat(moved.json().get("stayedAt").get("hold").asLong()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(run(flow, pro).get("state").asText()).isEqualTo("COMPLETED"));
        JsonNode run = run(flow, pro);
        assertThat(run.get("version").asInt()).isEqualTo(2);
        assertThat(kinds(run)).containsSubsequence("waiting", "moved", "waited", "webhook-sending", "webhook");
        assertThat(sink.received.stream().filter(r -> r.path().equals("/move-v2"))).hasSize(1);
        assertThat(sink.received.stream().filter(r -> r.path().equals("/move-v1"))).isEmpty();
        JsonNode stayed = run(flow, free);
        assertThat(stayed.get("version").asInt()).isEqualTo(1);
        assertThat(stayed.get("state").asText()).isEqualTo("WAITING");

        JsonNode events = api.get("/api/flows/" + flow + "/history").json().get("events");
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("type").asText()).isEqualTo("FlowRunsMoved");
        assertThat(last.get("payload").get("moved").asLong()).isEqualTo(1);
        assertThat(last.get("actor").asText()).startsWith("user:");
    }

    // --- segment triggers -------------------------------------------------------------------------------------------

    @Test
    void segmentTrigger_contactsEnteringTheSegmentEnter_membersAtActivationDoNot_andLeavingAndComingBackIsNoReEntry() {
        String tier = "tier-" + UUID.randomUUID();
        Response segment = api.post("/api/segments", "{\"name\":\"Tier " + tier + "\",\"rules\":{\"type\":\"attribute\","
                + "\"attribute\":\"tier\",\"operator\":\"eq\",\"value\":\"" + tier + "\"}}");
        assertThat(segment.status()).as(segment.toString()).isEqualTo(201);
        String segmentId = segment.json().get("id").asText();
        String before = contact("pro");
        assertThat(api.send("PATCH", "/api/contacts/" + before, "{\"attributes\":{\"tier\":\"" + tier + "\"}}",
                            "application/json", Map.of()).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> tier.equals(
                api.get("/api/contacts/" + before).json().get("attributes").path("tier").asText()));
        String path = "/segment-entered/" + tier;
        String flow = activeFlow("""
                {"trigger":{"type":"segment","segmentId":"%s"},"nodes":[{"type":"entry","id":"start","next":"hook"},
                  {"type":"webhook","id":"hook","url":"%s","body":"{\\"id\\":\\"{{ id }}\\"}","next":"done"},
                  {"type":"exit","id":"done"}]}""".formatted(segmentId, sink.url(path)));
        // the members at activation are written down first (they do not enter)
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from flow_segment_flow where flow_id = ?::uuid", Long.class, flow) == 1);
        // the trigger processor learns of the flow within 2 s; changes before that are caught by the first sweep
        flowsReadAgain();

        String changed = contact("pro");
        Instant changedAt = Instant.now();
        assertThat(api.send("PATCH", "/api/contacts/" + changed, "{\"attributes\":{\"tier\":\"" + tier + "\"}}",
                            "application/json", Map.of()).status()).isEqualTo(200);
        Response created = api.post("/api/contacts", "{\"email\":\"seg" + UUID.randomUUID().toString().substring(0, 8)
                + "@example.com\",\"attributes\":{\"tier\":\"" + tier + "\"}}");
        String born = created.json().get("id").asText();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(hooks(path, changed)).hasSize(1);
            assertThat(hooks(path, born)).hasSize(1);
        });
        // within the checks' rhythm (every 5 s, for changes at least 2 s old), far inside the 60 s
        assertThat(hooks(path, changed).get(0).at() - changedAt.toEpochMilli()).isLessThan(15_000);
        assertThat(step(run(flow, changed), "entered").get("detail").asText()).contains("entered segment " + segmentId);
        assertThat(api.get("/api/flows/" + flow + "/runs?contactId=" + before).json().get("totalItems").asLong())
                .isZero();

        // leaving the segment and coming back is entering it again: the entry policy (re-entry NEVER) refuses it
        api.send("PATCH", "/api/contacts/" + changed, "{\"attributes\":{\"tier\":\"none\"}}", "application/json",
                 Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from flow_segment_member where flow_id = ?::uuid and contact_id = ?::uuid", Long.class,
                flow, changed) == 0);
        api.send("PATCH", "/api/contacts/" + changed, "{\"attributes\":{\"tier\":\"" + tier + "\"}}",
                 "application/json", Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from flow_segment_member where flow_id = ?::uuid and contact_id = ?::uuid", Long.class,
                flow, changed) == 1);
        assertThat(api.get("/api/flows/" + flow + "/runs?contactId=" + changed).json().get("totalItems").asLong())
                .isEqualTo(1);
        assertThat(hooks(path, changed)).hasSize(1);
        // the tests after this one change many contacts: no segment flow to check them against
        assertThat(api.post("/api/flows/" + flow + "/stop", null).status()).isEqualTo(200);
    }
}
