package io.herald.gateway.flow;

import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.delivery.WebhookSink;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldProcesses;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flow drills: runs of <i>send webhook → wait 3 s → send webhook → exit</i>, the instance moving them killed
 * with SIGKILL while it has sends under way and other runs wait, then (a) restarted, or (b) left dead while a second
 * instance carries on. Checked at the sink and in the decision logs: every run completes, each step once (one
 * {@code waited}, one {@code exited}); the only sends the sink saw twice are the ones written down as
 * {@code sending} at the kill (re-sent with the same Idempotency-Key, as webhooks allow), and no wait fired early.
 * Runs: {@code -Ddrill.flow-runs} (CI: 2,000).
 */
class FlowDrillIT {

    private static final int RUNS = Integer.getInteger("drill.flow-runs", 2_000);
    /** Runs a worker claims at once (herald.flow.runtime.batch-size). */
    private static final int BATCH = 100;
    /** Runs a worker holds at most (two batches: the next is claimed while one finishes): what one kill may leave under way. */
    private static final int IN_HAND = 2 * BATCH;
    private static final Pattern WORKER = Pattern.compile("Flow worker (flow-worker-[0-9a-f-]+) started");

    private final HeraldProcesses processes = new HeraldProcesses();

    @AfterEach
    void killAll() {
        processes.close();
    }

    @Test
    void killNineMidSendAndMidWait_thenRestart_everyRunCompletesOnce() throws Exception {
        drill(false);
    }

    @Test
    void killNineOneOfTwoInstances_theOtherFinishesEveryRun() throws Exception {
        drill(true);
    }

    private Process start(String database, int port, String name) throws Exception {
        return processes.start(database, port, name, "--herald.flow.runtime.lease=3s",
                               "--herald.flow.runtime.poll-interval=100ms", "--herald.flow.runtime.webhook-retry=500ms");
    }

    private void drill(boolean twoInstances) throws Exception {
        String database = TestDatabases.newDatabase();
        try (WebhookSink sink = new WebhookSink()) {
            int portA = HeraldProcesses.freePort();
            Process a = start(database, portA, "flow-a");
            String workerA = workerOf("flow-a", portA);
            ApiClient api = TestAuth.asAdmin(new ApiClient(portA));
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(database));
            String audience = "flow-drill-" + UUID.randomUUID();
            List<String> contacts = seedContacts(jdbc, audience, RUNS);
            String first = "/flow-drill/" + audience + "/first";
            String second = "/flow-drill/" + audience + "/second";
            var created = api.post("/api/flows", """
                    {"name":"Drill","definition":{"trigger":{"type":"api"},"nodes":[
                      {"type":"entry","id":"start","next":"first"},
                      {"type":"send","id":"first","channel":"WEBHOOK","content":{"url":"%s"},"next":"pause"},
                      {"type":"wait","id":"pause","duration":"PT3S","next":"second"},
                      {"type":"send","id":"second","channel":"WEBHOOK","content":{"url":"%s"},"next":"done"},
                      {"type":"exit","id":"done"}]}}""".formatted(sink.url(first), sink.url(second)));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String flow = created.json().get("id").asText();
            assertThat(api.post("/api/flows/" + flow + "/publish", null).status()).isEqualTo(200);
            assertThat(api.post("/api/flows/" + flow + "/activate", null).status()).isEqualTo(200);

            int portB = 0;
            if (twoInstances) {
                portB = HeraldProcesses.freePort();
                start(database, portB, "flow-b");
            }
            var entered = api.post("/api/flows/" + flow + "/entries", "{\"contacts\":["
                    + contacts.stream().map(id -> "{\"contactId\":\"" + id + "\"}").collect(Collectors.joining(","))
                    + "]}");
            assertThat(entered.status()).as(entered.toString()).isEqualTo(200);
            assertThat(entered.json().get("entered").asInt()).isEqualTo(RUNS);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> sink.received.stream().filter(r -> r.path().equals(first)).count() >= RUNS / 3);
            // the sink holds its answers, so the kill finds instance a with sends under way
            CountDownLatch held = new CountDownLatch(1);
            Set<String> heldRuns = java.util.concurrent.ConcurrentHashMap.newKeySet();
            sink.status = (key, seen) -> {
                if (key != null && key.indexOf(':') > 0) {
                    heldRuns.add(key.substring(0, key.indexOf(':')));
                }
                try {
                    held.await(5, TimeUnit.SECONDS); // inside the webhook timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 200;
            };
            // a request of instance a's that the sink holds is a send that cannot finish before the kill (a 'sending'
            // row seen alone may be a request answered just before the sink began holding, written 'sent' before the
            // kill lands)
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> jdbc.queryForList("select run_id::text from flow_run where worker_id = ? "
                                                           + "and reason = 'sending' and state = 'ACTIVE'",
                                                   String.class, workerA).stream().anyMatch(heldRuns::contains));
            a.destroyForcibly().waitFor(); // SIGKILL
            long sendingAtKill = sendingOf(jdbc, workerA);
            long waitingAtKill = jdbc.queryForObject("select count(*) from flow_run where flow_id = ?::uuid "
                                                             + "and node_id = 'pause' and state = 'WAITING'",
                                                     Long.class, flow);
            sink.status = (key, seen) -> 200;
            held.countDown();
            assertThat(sendingAtKill).as("sends under way at the kill").isPositive().isLessThanOrEqualTo(IN_HAND);

            int survivor = portB;
            if (!twoInstances) {
                survivor = HeraldProcesses.freePort();
                start(database, survivor, "flow-a-restarted");
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> jdbc.queryForObject(
                    "select count(*) from flow_run where flow_id = ?::uuid and state = 'COMPLETED'", Long.class,
                    flow) == RUNS);

            // the decision logs: each step once per run
            Map<String, Object> steps = jdbc.queryForMap(
                    "select count(*) filter (where s.kind = 'waited') as waited, "
                            + "count(*) filter (where s.kind = 'exited') as exited, "
                            + "count(*) filter (where s.kind = 'sent' and s.node_id = 'first') as first_sent, "
                            + "count(*) filter (where s.kind = 'sent' and s.node_id = 'second') as second_sent "
                            + "from flow_run_step s join flow_run r on r.run_id = s.run_id where r.flow_id = ?::uuid",
                    flow);
            for (String kind : List.of("waited", "exited", "first_sent", "second_sent")) {
                assertThat(((Number) steps.get(kind)).intValue()).as(kind).isEqualTo(RUNS);
            }
            // the sink: every send's key; twice only for sends written down as 'sending' more than once (the one
            // under way at the kill, and its re-send)
            Map<String, List<WebhookSink.Received>> perKey = sink.received.stream()
                    .filter(r -> r.path().equals(first) || r.path().equals(second))
                    .collect(Collectors.groupingBy(WebhookSink.Received::idempotencyKey));
            assertThat(perKey).hasSize(2 * RUNS);
            Set<String> duplicated = perKey.entrySet().stream().filter(e -> e.getValue().size() > 1)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            Set<String> resent = Set.copyOf(jdbc.queryForList(
                    "select s.run_id || ':' || s.node_id from flow_run_step s join flow_run r on r.run_id = s.run_id "
                            + "where r.flow_id = ?::uuid and s.kind = 'sending' group by s.run_id, s.node_id "
                            + "having count(*) > 1", String.class, flow));
            assertThat(resent).containsAll(duplicated);
            assertThat(resent).as("re-sent after the kill").hasSizeLessThanOrEqualTo(IN_HAND);
            // no wait fired early: a run's second send came at least 3 s after its first send's last arrival
            long early = 0;
            for (Map.Entry<String, List<WebhookSink.Received>> entry : perKey.entrySet()) {
                if (!entry.getKey().endsWith(":first")) {
                    continue;
                }
                String run = entry.getKey().substring(0, entry.getKey().length() - ":first".length());
                long firstAt = entry.getValue().stream().mapToLong(WebhookSink.Received::at).max().orElseThrow();
                long secondAt = perKey.get(run + ":second").stream().mapToLong(WebhookSink.Received::at).min()
                        .orElseThrow();
                if (secondAt - firstAt < 3000) {
                    early++;
                }
            }
            assertThat(early).as("runs whose wait fired early").isZero();
            System.out.printf("flow drill (%s): %d runs, %d sending and %d waiting at the kill, %d re-sent, %d seen "
                                      + "twice at the sink%n", twoInstances ? "two instances" : "restart", RUNS,
                              sendingAtKill, waitingAtKill, resent.size(), duplicated.size());
        }
    }

    /** Runs the worker holds with a send written down and no outcome yet. */
    private static long sendingOf(JdbcTemplate jdbc, String worker) {
        return jdbc.queryForObject("select count(*) from flow_run where worker_id = ? and reason = 'sending' "
                                           + "and state = 'ACTIVE'", Long.class, worker);
    }

    /** The flow worker id an instance logged at its start. */
    private static String workerOf(String name, int port) throws Exception {
        String log = Files.readString(HeraldProcesses.log(name, port).toPath());
        Matcher matcher = WORKER.matcher(log);
        String found = null;
        while (matcher.find()) {
            found = matcher.group(1);
        }
        assertThat(found).as("the flow worker's start in " + HeraldProcesses.log(name, port)).isNotNull();
        return found;
    }

    private static List<String> seedContacts(JdbcTemplate jdbc, String audience, int count) {
        // the read model the entries and the runs read (the drill is about the runs, not about imports)
        return new ArrayList<>(jdbc.queryForList(
                "insert into contact (id, email, attributes, consent, created_at, updated_at, version) "
                        + "select gen_random_uuid(), 'flow-drill-' || g || '@example.com', "
                        + "jsonb_build_object('audience', ?::text), '{}'::jsonb, now(), now(), 0 "
                        + "from generate_series(1, ?) g returning id::text", String.class, audience, count));
    }
}
