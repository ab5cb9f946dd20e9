package io.herald.bench.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.bench.ScenarioRun;
import io.herald.bench.WebhookSink;
import io.herald.gateway.HeraldApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flow runtime against the Flows issue's targets:
 * {@code benchmarks/run.sh --scenario flow-targets [--parts entry,sends,event,waiting,segment] [options]}. Every part
 * boots Herald in this JVM on a fresh database (rate limits off, one administrator over HTTP); contacts are
 * written with SQL into the contact read model, as the audience scenario does for its million.
 * <ul>
 *   <li>{@code entry}: N contacts (--contacts, default 100,000) enter an API-triggered flow
 *       <i>entry → branch (plan = pro) → wait PT1S → split 50/50 → exit</i> in calls of 10,000; node executions per
 *       second counted from the decision log (its rows from the first to the last); beside it, in the same run and
 *       database, the yardstick: one-row INSERT transactions from as many threads as Herald's pool.</li>
 *   <li>{@code sends}: the same N contacts through the graph <i>entry → send webhook → wait (--send-wait,
 *       default PT1M) → branch (plan = pro) → send webhook → exit</i>, every webhook to the harness's sink; the send
 *       rate per wave at the sink beside the sink's raw rate from a plain load generator (measured first, in the same
 *       run), every contact's webhooks checked at the sink; the non-send node executions from the decision log.</li>
 *   <li>{@code event}: a flow triggered by an event ({@code Bench Ping}, entry → send webhook → exit); --event-rate
 *       tracked events per second of another name in batches of 100 through {@code POST /api/track/batch} for
 *       --event-duration, and during it 20 pings per second through {@code POST /api/track}, one contact each; per
 *       ping the time from the answer to its webhook arriving at the sink (matched by the contact id in the payload),
 *       to its run's {@code entered_at} and to its last decision-log row.</li>
 *   <li>{@code waiting}: --waiting runs (default 1,000,000; contacts and runs by SQL) wait (a day) in one flow: heap
 *       after GC and the worker's CPU (JVM and PostgreSQL, 30 s each) with none and with all of them waiting; then
 *       --due of them (default 100,000) fall due at once and are timed until every one has moved on.</li>
 *   <li>{@code segment}: --segment-contacts contacts (default 1,000,000); a behavioural segment and a flow triggered
 *       by entering it; --segment-entries of them (default 200, 10 a second) enter the segment by a tracked event;
 *       per contact the time from the tracking call's answer to its run's {@code entered_at}.</li>
 * </ul>
 */
public final class FlowTargetsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static boolean wants(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--scenario") && args[i + 1].equals("flow-targets")) {
                return true;
            }
        }
        return false;
    }

    private String adminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private boolean keep;
    private List<String> parts = List.of("entry", "event", "waiting");
    private int contacts = 100_000;
    private Duration sendWait = Duration.ofMinutes(1);
    private int eventRate = 1_000;
    private Duration eventDuration = Duration.ofSeconds(60);
    private Duration eventWarmup = Duration.ofSeconds(5);
    private int waiting = 1_000_000;
    private int due = 100_000;
    private int segmentContacts = 1_000_000;
    private int segmentEntries = 200;
    private List<String> appProperties = new ArrayList<>();

    private ScenarioRun run;
    private WebhookSink sink;
    private ConfigurableApplicationContext herald;
    private String url;
    private int port;
    private String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        FlowTargetsBenchmark bench = new FlowTargetsBenchmark();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scenario" -> i++;
                case "--pg-admin-url" -> bench.adminUrl = args[++i];
                case "--keep-databases" -> bench.keep = true;
                case "--parts" -> bench.parts = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .map(s -> s.toLowerCase(Locale.ROOT)).toList();
                case "--contacts" -> bench.contacts = Integer.parseInt(args[++i]);
                case "--send-wait" -> bench.sendWait = Duration.parse(args[++i]);
                case "--event-rate" -> bench.eventRate = Integer.parseInt(args[++i]);
                case "--event-duration" -> bench.eventDuration = Duration.ofSeconds(Long.parseLong(
                        args[++i].replace("s", "")));
                case "--event-warmup" -> bench.eventWarmup = Duration.ofSeconds(Long.parseLong(
                        args[++i].replace("s", "")));
                case "--waiting" -> bench.waiting = Integer.parseInt(args[++i]);
                case "--due" -> bench.due = Integer.parseInt(args[++i]);
                case "--segment-contacts" -> bench.segmentContacts = Integer.parseInt(args[++i]);
                case "--segment-entries" -> bench.segmentEntries = Integer.parseInt(args[++i]);
                case "--set" -> bench.appProperties.add(args[++i]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("axoniq.update-check.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        bench.run(args);
        System.exit(0);
    }

    private void run(String[] args) throws Exception {
        try (ScenarioRun run = new ScenarioRun("flow-targets", adminUrl, keep, args,
                                               ", load average at start " + loadAverage())) {
            this.run = run;
            try (WebhookSink webhooks = new WebhookSink()) {
                sink = webhooks;
                for (String part : parts) {
                    switch (part) {
                        case "entry" -> part(this::entry);
                        case "sends" -> part(this::sends);
                        case "event" -> part(this::event);
                        case "waiting" -> part(this::waitingRuns);
                        case "segment" -> part(this::segmentEntry);
                        default -> throw new IllegalArgumentException(
                                "Unknown part " + part + " (known: entry, sends, event, waiting, segment)");
                    }
                }
            }
            run.write();
        }
    }

    private interface Part {
        void run() throws Exception;
    }

    private void part(Part part) throws Exception {
        url = run.newDatabase();
        try {
            part.run();
        } finally {
            if (herald != null) {
                herald.close();
                herald = null;
            }
        }
    }

    // --- entry: 100,000 contacts through a flow of non-send nodes -------------------------------------------

    private void entry() throws Exception {
        boot();
        List<String> ids = contacts(contacts, contacts);
        // the yardstick, same database and pool size: one-row INSERT transactions
        int threads = Integer.parseInt(herald.getEnvironment()
                                               .getProperty("spring.datasource.hikari.maximum-pool-size", "10"));
        double yardstick = inserts(threads, 30_000);
        String flowId = flow("""
                {"trigger": {"type": "api"},
                 "nodes": [
                   {"type": "entry", "id": "start", "next": "is-pro"},
                   {"type": "branch", "id": "is-pro",
                    "rule": {"type": "attribute", "attribute": "plan", "operator": "eq", "value": "pro"},
                    "trueNext": "pause", "falseNext": "pause"},
                   {"type": "wait", "id": "pause", "duration": "PT1S", "next": "ab"},
                   {"type": "split", "id": "ab", "paths": [{"name": "a", "percent": 50, "next": "done"},
                                                           {"name": "b", "percent": 50, "next": "done"}]},
                   {"type": "exit", "id": "done"}
                 ]}""");
        String load = loadAverage();
        long started = System.nanoTime();
        long entered = enter(flowId, ids);
        double calls = seconds(started);
        awaitZero("select count(*) from flow_run where state in ('ACTIVE', 'WAITING')", Duration.ofMinutes(30));
        double total = seconds(started);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            Steps counted = steps(s, "('entered')");
            long steps = counted.count();
            double span = counted.span();
            String kinds = counted.kinds();
            String states = states(s);
            run.line("entry", String.format(
                    "%,d contacts entered by %d API calls of up to 10,000 in %.1f s; every run ended %.1f s after the first "
                            + "call (%s); decision log: %s; **%,.0f node executions/s** (%,d rows other than "
                            + "'entered' from the first to the last in %.1f s), %,.0f/s over the whole time incl. the "
                            + "calls; yardstick in the same run: **%,.0f one-row INSERT transactions/s** (%d threads, "
                            + "30,000); load average %s before, %s after",
                    entered, (ids.size() + 9_999) / 10_000, calls, total, states, kinds, steps / span, steps, span, steps / total, yardstick, threads,
                    load, loadAverage()));
        }
    }

    /** One-row INSERT transactions from {@code threads} threads on the part's database; per second. */
    /** Enters the contacts into the flow through the entries API, in calls of 10,000; how many entered. */
    private long enter(String flowId, List<String> ids) throws Exception {
        long entered = 0;
        for (int from = 0; from < ids.size(); from += 10_000) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("contacts");
            ids.subList(from, Math.min(ids.size(), from + 10_000)).forEach(id -> list.addObject().put("contactId", id));
            HttpResponse<String> answer = send("POST", "/api/flows/" + flowId + "/entries", body.toString());
            require(answer, 200);
            entered += JSON.readTree(answer.body()).path("entered").asLong();
        }
        return entered;
    }

    private double inserts(int threads, int count) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("create table bench_yardstick (id bigserial primary key, run_id uuid not null, "
                              + "at timestamptz not null, detail text)");
        }
        AtomicInteger left = new AtomicInteger(count);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> work = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            work.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url);
                     PreparedStatement insert = c.prepareStatement(
                             "insert into bench_yardstick (run_id, at, detail) values (?, now(), 'a step')")) {
                    while (left.getAndDecrement() > 0) {
                        insert.setObject(1, UUID.randomUUID());
                        insert.executeUpdate();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        return count / seconds(started);
    }

    // --- sends: 100,000 contacts through send webhook → wait → branch → send webhook ------------------------

    /**
     * The graph: <i>entry → send webhook → wait (--send-wait) → branch (plan = pro) → send webhook (one node
     * per branch) → exit</i>, every send to the harness's sink (a path per node, the contact id and plan in the
     * payload). Before Herald gets the work, in the same run: the sink's raw rate from a plain load generator (as many
     * requests as contacts, 32 at once) and the one-row INSERT yardstick. Then --contacts contacts enter by the
     * entries API in calls of 10,000; the send rate is counted per wave at the sink (first → last request), the
     * non-send node executions from the decision log.
     */
    private void sends() throws Exception {
        boot();
        List<String> ids = contacts(contacts, contacts);
        int threads = Integer.parseInt(herald.getEnvironment()
                                               .getProperty("spring.datasource.hikari.maximum-pool-size", "10"));
        double yardstick = inserts(threads, 30_000);
        WebhookSink.RawRate raw = sink.rawRate(contacts, 32);
        String base = "/sends-" + UUID.randomUUID().toString().substring(0, 8);
        String first = base + "/first";
        String pro = base + "/pro";
        String free = base + "/free";
        Map<String, Map<String, AtomicInteger>> received = new ConcurrentHashMap<>();
        AtomicLong wrongPlan = new AtomicLong();
        AtomicLong unreadable = new AtomicLong();
        sink.listener(r -> {
            if (!r.path().startsWith(base)) {
                return;
            }
            try {
                JsonNode payload = JSON.readTree(r.body());
                String plan = payload.path("plan").asText();
                if ((r.path().equals(pro) && !plan.equals("pro")) || (r.path().equals(free) && plan.equals("pro"))) {
                    wrongPlan.incrementAndGet();
                }
                received.computeIfAbsent(r.path(), p -> new ConcurrentHashMap<>())
                        .computeIfAbsent(payload.path("contact").asText(), c -> new AtomicInteger()).incrementAndGet();
            } catch (IOException e) {
                unreadable.incrementAndGet();
            }
        });
        String payload = "\"{\\\"contact\\\":\\\"{{ id }}\\\",\\\"plan\\\":\\\"{{ plan }}\\\",\\\"node\\\":\\\"%s\\\"}\"";
        String flowId = flow("""
                {"trigger": {"type": "api"},
                 "nodes": [
                   {"type": "entry", "id": "start", "next": "first"},
                   {"type": "send", "id": "first", "channel": "WEBHOOK", "next": "pause",
                    "content": {"url": "%s", "payload": %s}},
                   {"type": "wait", "id": "pause", "duration": "%s", "next": "is-pro"},
                   {"type": "branch", "id": "is-pro",
                    "rule": {"type": "attribute", "attribute": "plan", "operator": "eq", "value": "pro"},
                    "trueNext": "pro", "falseNext": "free"},
                   {"type": "send", "id": "pro", "channel": "WEBHOOK", "next": "done",
                    "content": {"url": "%s", "payload": %s}},
                   {"type": "send", "id": "free", "channel": "WEBHOOK", "next": "done",
                    "content": {"url": "%s", "payload": %s}},
                   {"type": "exit", "id": "done"}
                 ]}""".formatted(sink.url(first), payload.formatted("first"), sendWait, sink.url(pro),
                                 payload.formatted("pro"), sink.url(free), payload.formatted("free")));
        String load = loadAverage();
        long started = System.nanoTime();
        long entered = enter(flowId, ids);
        double calls = seconds(started);
        String loadAfterCalls = loadAverage();
        awaitZero("select count(*) from flow_run where state in ('ACTIVE', 'WAITING')",
                  Duration.ofMinutes(30).plus(sendWait));
        double total = seconds(started);
        Thread.sleep(1_000); // a request answered just before its run's last commit has been counted by now
        sink.listener(null);

        Wave firstWave = Wave.of(sink, first);
        Wave secondWave = Wave.of(sink, pro, free);
        Wave all = Wave.of(sink, first, pro, free);
        // every contact: one first webhook, then one of pro (plan pro) or free (the others)
        int expectedPro = 0;
        int complete = 0;
        for (int i = 0; i < ids.size(); i++) {
            boolean isPro = (i + 1) % 2 == 0; // contacts(): c-<g> has plan pro for even g
            expectedPro += isPro ? 1 : 0;
            String id = ids.get(i);
            if (times(received, first, id) == 1 && times(received, isPro ? pro : free, id) == 1
                    && times(received, isPro ? free : pro, id) == 0) {
                complete++;
            }
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            String sendKinds = "('entered', 'sending', 'sent', 'send-retry', 'send-failed', 'send-skipped', "
                    + "'send-unknown', 'held')";
            Steps counted = steps(s, sendKinds);
            long steps = counted.count();
            double span = counted.span();
            String kinds = counted.kinds();
            // how long after its due time each run left the wait (its 'waiting' row → its 'waited' row, minus the wait)
            List<Double> late = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(
                    "select extract(epoch from w2.at - w1.at) * 1000 from flow_run_step w1 join flow_run_step w2 "
                            + "on w2.run_id = w1.run_id and w2.kind = 'waited' where w1.kind = 'waiting'")) {
                while (rs.next()) {
                    late.add(rs.getDouble(1) - sendWait.toMillis());
                }
            }
            run.line("sends", String.format(
                    "%,d contacts entered by %d API calls of up to 10,000 in %.1f s into *entry → send webhook → wait "
                            + "%s → branch (plan = pro) → send webhook → exit*; every run ended %.1f s after the first "
                            + "call (%s); sink's raw rate in the same run, before Herald got the work: %,d requests "
                            + "(32 at once) in %.1f s = **%,.0f requests/s** (%d resent); **first send: %,.0f "
                            + "webhooks/s = %.2f of raw** (%,d requests from the first to the last in %.1f s); "
                            + "**second send: %,.0f webhooks/s = %.2f of raw** (%,d in %.1f s)%s; both together "
                            + "(their first to their last request, the wait included when they did not overlap): "
                            + "%,.0f webhooks/s = %.2f of raw (%,d in %.1f s); sink check: first "
                            + "%,d requests, %,d keys, %,d contacts, %,d keys twice or more; pro %,d requests, %,d "
                            + "contacts (expected %,d); free %,d requests, %,d contacts (expected %,d); %,d payloads "
                            + "on the wrong branch, %,d unreadable; **%,d of %,d contacts got exactly their two "
                            + "webhooks**; decision log: %s; non-send nodes: **%,.0f node executions/s** (%,d rows of "
                            + "wait, branch and exit from the first to the last in %.1f s, paced by the sends ahead of "
                            + "them); runs left the wait this long after falling due: %s; yardstick in the same run: %,.0f one-row "
                            + "INSERT transactions/s (%d threads, 30,000); load average %s before, %s after the "
                            + "calls, %s at the end",
                    entered, (ids.size() + 9_999) / 10_000, calls, sendWait, total, states(s), raw.requests(),
                    raw.seconds(), raw.perSecond(), raw.resent(), firstWave.perSecond(),
                    firstWave.perSecond() / raw.perSecond(), firstWave.requests(), firstWave.seconds(),
                    secondWave.perSecond(), secondWave.perSecond() / raw.perSecond(), secondWave.requests(),
                    secondWave.seconds(), firstWave.overlapSeconds(secondWave) > 0 ? String.format(
                            " (the waves overlapped for %.1f s)", firstWave.overlapSeconds(secondWave)) : "",
                    all.perSecond(), all.perSecond() / raw.perSecond(), all.requests(), all.seconds(),
                    sink.count(first), sink.keys(first), distinct(received, first), sink.at(first).repeatedKeys(),
                    sink.count(pro), distinct(received, pro), expectedPro, sink.count(free), distinct(received, free),
                    ids.size() - expectedPro, wrongPlan.get(), unreadable.get(), complete, ids.size(), kinds,
                    steps / span, steps, span, Wave.percentiles(late), yardstick, threads, load, loadAfterCalls,
                    loadAverage()));
        }
    }

    private static int times(Map<String, Map<String, AtomicInteger>> received, String path, String contact) {
        AtomicInteger n = received.getOrDefault(path, Map.of()).get(contact);
        return n == null ? 0 : n.get();
    }

    private static int distinct(Map<String, Map<String, AtomicInteger>> received, String path) {
        return received.getOrDefault(path, Map.of()).size();
    }

    // --- event: trigger latency under tracked load ------------------------------------------------------

    private void event() throws Exception {
        boot();
        int pings = (int) (20 * eventDuration.toSeconds());
        contacts(pings + 10_000, 0);
        String path = "/ping-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Instant> arrived = new ConcurrentHashMap<>();
        AtomicLong unreadable = new AtomicLong();
        sink.listener(r -> {
            if (r.path().equals(path)) {
                Instant at = Instant.now();
                try {
                    arrived.putIfAbsent(JSON.readTree(r.body()).path("contact").asText(), at);
                } catch (IOException e) {
                    unreadable.incrementAndGet();
                }
            }
        });
        flow("""
                {"trigger": {"type": "event", "event": "Bench Ping"},
                 "nodes": [{"type": "entry", "id": "start", "next": "ping"},
                           {"type": "send", "id": "ping", "channel": "WEBHOOK", "next": "done",
                            "content": {"url": "%s", "payload": "{\\"contact\\":\\"{{ id }}\\"}"}},
                           {"type": "exit", "id": "done"}]}""".formatted(sink.url(path)));
        Thread.sleep(3_000); // the trigger processor reads the list of event-triggered flows every 2 s
        String load = loadAverage();
        Map<String, Instant> answered = new ConcurrentHashMap<>();
        AtomicLong background = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
        ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        AtomicInteger batchNo = new AtomicInteger();
        AtomicInteger pingNo = new AtomicInteger();
        long batchesPerSecond = Math.max(1, eventRate / 100);
        timer.scheduleAtFixedRate(() -> senders.submit(() -> {
            int b = batchNo.getAndIncrement();
            ArrayNode batch = JSON.createArrayNode();
            for (int i = 0; i < 100; i++) {
                batch.addObject().put("userId", "c-" + (pings + 1 + (b * 100 + i) % 10_000)).put("event", "Page Viewed")
                     .putObject("properties").put("path", "/p/" + i);
            }
            ObjectNode body = JSON.createObjectNode();
            body.set("batch", batch);
            try {
                HttpResponse<String> r = send("POST", "/api/track/batch", body.toString());
                if (r.statusCode() == 200) {
                    background.addAndGet(100);
                } else {
                    failures.incrementAndGet();
                }
            } catch (Exception e) {
                failures.incrementAndGet();
            }
        }), 0, 1_000_000 / batchesPerSecond, TimeUnit.MICROSECONDS);
        Thread.sleep(eventWarmup.toMillis()); // the load runs before the first ping
        long started = System.nanoTime();
        Instant firstPing = Instant.now();
        timer.scheduleAtFixedRate(() -> senders.submit(() -> {
            int p = pingNo.incrementAndGet();
            if (p > pings) {
                return;
            }
            try {
                HttpResponse<String> r = send("POST", "/api/track", JSON.createObjectNode().put("userId", "c-" + p)
                        .put("event", "Bench Ping").toString());
                Instant at = Instant.now();
                if (r.statusCode() == 200) {
                    answered.put(JSON.readTree(r.body()).path("contactId").asText(), at);
                } else {
                    failures.incrementAndGet();
                }
            } catch (Exception e) {
                failures.incrementAndGet();
            }
        }), 0, 50, TimeUnit.MILLISECONDS);
        while (pingNo.get() < pings) {
            Thread.sleep(100);
        }
        double loadSeconds = seconds(started) + eventWarmup.toSeconds();
        long backgroundSent = background.get();
        timer.shutdownNow();
        senders.shutdown();
        senders.awaitTermination(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<Double> entry = new ArrayList<>();
        List<Double> done = new ArrayList<>();
        List<Double> hook = new ArrayList<>();
        while (true) {
            entry.clear();
            done.clear();
            hook.clear();
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement q = c.prepareStatement(
                         "select r.contact_id, r.entered_at, (select max(at) from flow_run_step s where s.run_id = r.run_id) "
                                 + "from flow_run r where r.state = 'COMPLETED'");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Instant answer = answered.get(rs.getString(1));
                    if (answer != null) {
                        entry.add(millis(answer, rs.getTimestamp(2).toInstant()));
                        done.add(millis(answer, rs.getTimestamp(3).toInstant()));
                    }
                }
            }
            arrived.forEach((contact, at) -> {
                Instant answer = answered.get(contact);
                if (answer != null) {
                    hook.add(millis(answer, at));
                }
            });
            if ((entry.size() >= answered.size() && hook.size() >= answered.size()) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(500);
        }
        sink.listener(null);
        // when the late ones were sent: one stretch of the run, or spread over it
        List<Double> lateAt = new ArrayList<>();
        arrived.forEach((contact, at) -> {
            Instant answer = answered.get(contact);
            if (answer != null && millis(answer, at) > 1_000) {
                lateAt.add(millis(firstPing, answer) / 1_000);
            }
        });
        lateAt.sort(Double::compare);
        String late = lateAt.isEmpty() ? "none over 1 s" : String.format(
                "%,d over 1 s, answered between %.1f s and %.1f s after the first ping", lateAt.size(),
                lateAt.getFirst(), lateAt.getLast());
        run.line("event", String.format(
                "%,d pings (20/s through POST /api/track) during %,d other tracked events in batches of 100 (%,.0f/s "
                        + "over %.0f s, the first %d s before the first ping), %d failed requests; flow *entry → send webhook → exit*; %,d of %,d answered "
                        + "pings entered and completed, %,d webhooks of them at the sink (%,d requests, %,d keys twice "
                        + "or more, %d unreadable); **answer → webhook at the sink: %s** (%s); answer → run entered: %s; "
                        + "answer → last decision-log row (exit): %s; load average %s before, %s after",
                pings, backgroundSent, backgroundSent / loadSeconds, loadSeconds, eventWarmup.toSeconds(),
                failures.get(), entry.size(), answered.size(), hook.size(), sink.count(path), sink.at(path).repeatedKeys(), unreadable.get(),
                Wave.percentiles(hook), late, Wave.percentiles(entry), Wave.percentiles(done), load, loadAverage()));
    }

    // --- waiting: a million runs due later -----------------------------------------------------------------

    private void waitingRuns() throws Exception {
        boot();
        String flowId = flow("""
                {"trigger": {"type": "api"},
                 "nodes": [{"type": "entry", "id": "start", "next": "pause"},
                           {"type": "wait", "id": "pause", "duration": "P1D", "next": "done"},
                           {"type": "exit", "id": "done"}]}""");
        List<String> first = contacts(waiting, 10);
        ObjectNode body = JSON.createObjectNode();
        body.putArray("contacts").addObject().put("contactId", first.getFirst());
        require(send("POST", "/api/flows/" + flowId + "/entries", body.toString()), 200);
        awaitZero("select count(*) from flow_run where state = 'ACTIVE'", Duration.ofMinutes(1));
        Thread.sleep(2_000);
        long heapIdle = heapAfterGc();
        double[] idle = cpu(Duration.ofSeconds(30));
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("insert into flow_run (run_id, flow_id, version, contact_id, entry_key, node_id, state, reason, "
                              + "due_at, entered_at, updated_at) select gen_random_uuid(), '" + flowId + "', 1, id, 'c:' || id, "
                              + "'pause', 'WAITING', 'wait', now() + interval '1 day' + random() * interval '1 hour', now(), "
                              + "now() from contact where id <> '" + first.getFirst() + "'");
            s.execute("analyze flow_run");
        }
        double inserted = seconds(start);
        Thread.sleep(2_000);
        long heapWaiting = heapAfterGc();
        double[] busy = cpu(Duration.ofSeconds(30));
        String load = loadAverage();
        start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("update flow_run set due_at = now() where run_id in (select run_id from flow_run where state = "
                              + "'WAITING' order by due_at limit " + due + ")");
        }
        double marked = seconds(start);
        start = System.nanoTime();
        awaitZero("select count(*) from flow_run where state = 'WAITING' and due_at <= now()", Duration.ofMinutes(30));
        double drained = seconds(start);
        long heapAfter = heapAfterGc();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            run.line("waiting", String.format(
                    "%,d runs waiting (inserted by SQL in %.1f s): heap after GC %d MiB idle (one run) and %d MiB with "
                            + "all waiting (**%+d MiB**); 30 s of the idle worker: JVM %.3f cores, PostgreSQL (all "
                            + "backends) %.3f cores with one run, JVM %.3f / PostgreSQL %.3f with all waiting; %,d "
                            + "made due at once (one UPDATE, %.1f s) moved on in %.1f s: **%,.0f runs/s** (%s; heap "
                            + "after GC then %d MiB); load average %s before, %s after; %s",
                    waiting, inserted, heapIdle >> 20, heapWaiting >> 20, (heapWaiting - heapIdle) >> 20, idle[0],
                    idle[1], busy[0], busy[1], due, marked, drained, due / drained, states(s), heapAfter >> 20, load,
                    loadAverage(), size(s, "flow_run")));
        }
    }

    // --- segment: contacts entering a segment enter its flow --------------------------------------------------

    /**
     * --segment-contacts contacts (by SQL); a behavioural segment "performed {@code Bench Upgraded}" and an ACTIVE
     * flow triggered by entering it (entry → exit); once the flow's members at activation are written down (none),
     * --segment-entries contacts spread over all of them track {@code Bench Upgraded} through {@code POST /api/track}
     * (10 a second); per contact the time from the answer to its run's {@code entered_at}.
     */
    private void segmentEntry() throws Exception {
        boot();
        long seeded = System.nanoTime();
        contacts(segmentContacts, 0);
        double seedSeconds = seconds(seeded);
        HttpResponse<String> segment = send("POST", "/api/segments", JSON.createObjectNode()
                .put("name", "bench upgraded " + UUID.randomUUID())
                .set("rules", JSON.createObjectNode().put("type", "behaviour").put("event", "Bench Upgraded"))
                .toString());
        require(segment, 201);
        String segmentId = JSON.readTree(segment.body()).path("id").asText();
        long activated = System.nanoTime();
        String flowId = flow("""
                {"trigger": {"type": "segment", "segmentId": "%s"},
                 "nodes": [{"type": "entry", "id": "start", "next": "done"}, {"type": "exit", "id": "done"}]}"""
                                     .formatted(segmentId));
        // the segment's members at activation are written down first (none here: nobody performed it yet)
        awaitZero("select 1 - count(*) from flow_segment_flow where flow_id = '" + flowId + "'", Duration.ofMinutes(10));
        double baseline = seconds(activated);
        Thread.sleep(3_000); // the trigger processor reads the list of segment-triggered flows every 2 s
        String load = loadAverage();
        int step = Math.max(1, segmentContacts / Math.max(1, segmentEntries));
        Map<String, Instant> answered = new ConcurrentHashMap<>();
        AtomicLong failures = new AtomicLong();
        long started = System.nanoTime();
        for (int i = 0; i < segmentEntries; i++) {
            long due = started + i * 100_000_000L; // 10 a second
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            HttpResponse<String> r = send("POST", "/api/track", JSON.createObjectNode()
                    .put("userId", "c-" + (1 + (long) i * step)).put("event", "Bench Upgraded").toString());
            Instant at = Instant.now();
            if (r.statusCode() == 200) {
                answered.put(JSON.readTree(r.body()).path("contactId").asText(), at);
            } else {
                failures.incrementAndGet();
            }
        }
        double sending = seconds(started);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        List<Double> latencies = new ArrayList<>();
        int runs;
        while (true) {
            latencies.clear();
            runs = 0;
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement q = c.prepareStatement("select contact_id::text, entered_at from flow_run "
                                                                  + "where flow_id = ?::uuid")) {
                q.setString(1, flowId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        runs++;
                        Instant answer = answered.get(rs.getString(1));
                        if (answer != null) {
                            latencies.add(millis(answer, rs.getTimestamp(2).toInstant()));
                        }
                    }
                }
            }
            if (latencies.size() >= answered.size() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(500);
        }
        run.line("segment", String.format(
                "%,d contacts (by SQL in %.1f s); the flow's members at activation written down %.1f s after "
                        + "activating it; %,d contacts tracked 'Bench Upgraded' (10/s over %.1f s, %d failed requests) "
                        + "and so entered the segment; %,d of them entered the flow (%,d runs in all); answer → run "
                        + "entered: **%s**; load average %s before, %s after",
                segmentContacts, seedSeconds, baseline, answered.size(), sending, failures.get(), latencies.size(),
                runs, Wave.percentiles(latencies), load, loadAverage()));
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private void boot() throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0", "--server.address=127.0.0.1",
                "--herald.database.url=" + url,
                "--herald.data-dir=" + Files.createTempDirectory("herald-bench-flow-targets"),
                "--herald.rate-limits.enabled=false", "--herald.delivery.allow-private-targets=true",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
        appProperties.forEach(p -> args.add("--" + p));
        herald = new SpringApplicationBuilder(HeraldApplication.class).web(WebApplicationType.SERVLET)
                .logStartupInfo(false).registerShutdownHook(false).run(args.toArray(String[]::new));
        port = ((WebServerApplicationContext) herald).getWebServer().getPort();
        String email = "bench@herald.test";
        String password = "correct horse battery staple 42";
        token = null;
        send("POST", "/api/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        HttpResponse<String> login = send("POST", "/api/auth/login",
                                          "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        require(login, 200);
        token = JSON.readTree(login.body()).get("accessToken").asText();
    }

    /** N contacts by SQL (external ids c-1..c-N, plan pro for every other); their ids, the first {@code keep} in order. */
    private List<String> contacts(int n, int keepIds) throws Exception {
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("insert into contact (id, external_id, email, attributes, created_at, updated_at, version) "
                              + "select gen_random_uuid(), 'c-' || g, 'c' || g || '@example.com', jsonb_build_object("
                              + "'plan', case when g % 2 = 0 then 'pro' else 'free' end), now(), now(), 0 "
                              + "from generate_series(1, " + n + ") g");
            s.execute("analyze contact");
            try (ResultSet rs = s.executeQuery("select id from contact order by substr(external_id, 3)::int"
                                                       + (keepIds >= n ? "" : " limit " + Math.max(keepIds, 0)))) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        if (n >= 100_000) {
            System.out.printf("(%,d contacts by SQL in %.1f s)%n", n, seconds(start));
        }
        if (keepIds >= n) {
            return ids;
        }
        return ids;
    }

    /** Creates, publishes and activates a flow; its id. */
    private String flow(String definition) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("name", "bench " + UUID.randomUUID());
        body.set("definition", JSON.readTree(definition));
        HttpResponse<String> created = send("POST", "/api/flows", body.toString());
        require(created, 201);
        String id = JSON.readTree(created.body()).path("id").asText();
        require(send("POST", "/api/flows/" + id + "/publish", null), 200);
        require(send("POST", "/api/flows/" + id + "/activate", null), 200);
        return id;
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                             : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void require(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + ": HTTP "
                                                    + response.statusCode() + " " + response.body());
        }
    }

    private void awaitZero(String sql, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    if (rs.getLong(1) <= 0) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("still " + rs.getLong(1) + " after " + max + ": " + sql);
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    private static String states(Statement s) throws Exception {
        StringBuilder sb = new StringBuilder("runs by state:");
        try (ResultSet rs = s.executeQuery("select state, count(*) from flow_run group by state order by 1")) {
            while (rs.next()) {
                sb.append(' ').append(rs.getString(1)).append(' ').append(String.format("%,d", rs.getLong(2)));
            }
        }
        return sb.toString();
    }

    private static String size(Statement s, String table) throws Exception {
        try (ResultSet rs = s.executeQuery("select pg_total_relation_size('" + table + "')")) {
            rs.next();
            return String.format("%s with indexes %,d MiB", table, rs.getLong(1) >> 20);
        }
    }

    /**
     * [JVM cores, PostgreSQL cores] over {@code span}; PostgreSQL: every postgres process of the machine (other
     * databases too), counted per process (a backend that ended during the span is left out, one that started is
     * counted whole).
     */
    private static double[] cpu(Duration span) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long jvm = os.getProcessCpuTime();
        Map<String, Long> before = postgresTicks();
        long start = System.nanoTime();
        Thread.sleep(span.toMillis());
        double seconds = seconds(start);
        long pg = 0;
        for (Map.Entry<String, Long> now : postgresTicks().entrySet()) {
            pg += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return new double[]{(os.getProcessCpuTime() - jvm) / 1e9 / seconds, pg / 100.0 / seconds};
    }

    private static Map<String, Long> postgresTicks() throws IOException {
        Map<String, Long> ticks = new java.util.HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, close).startsWith("postgres")) {
                        continue;
                    }
                    String[] fields = stat.substring(close + 2).split(" ");
                    ticks.put(proc.getFileName().toString(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        }
        return ticks;
    }

    private static long heapAfterGc() throws InterruptedException {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            min = Math.min(min, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return min;
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * The decision log's rows: {@code count} of the kinds not in {@code notCounted} (an SQL list, {@code ('a', 'b')}),
     * the seconds from the first of them to the last, and every kind with its count, most first.
     */
    private record Steps(long count, double span, String kinds) {
    }

    private static Steps steps(Statement s, String notCounted) throws SQLException {
        long count;
        double span;
        try (ResultSet rs = s.executeQuery("select count(*), extract(epoch from max(at) - min(at)) from flow_run_step "
                                                   + "where kind not in " + notCounted)) {
            rs.next();
            count = rs.getLong(1);
            span = rs.getDouble(2);
        }
        StringBuilder kinds = new StringBuilder();
        try (ResultSet rs = s.executeQuery("select kind, count(*) from flow_run_step group by kind order by 2 desc")) {
            while (rs.next()) {
                kinds.append(kinds.isEmpty() ? "" : ", ").append(rs.getString(1)).append(' ')
                     .append(String.format("%,d", rs.getLong(2)));
            }
        }
        return new Steps(count, span, kinds.toString());
    }
}
