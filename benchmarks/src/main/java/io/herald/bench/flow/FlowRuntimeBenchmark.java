package io.herald.bench.flow;

import io.herald.bench.ScenarioRun;
import io.herald.gateway.HeraldApplication;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Where flow runs should live (issue "Flows": measure a saga per contact against a table first):
 * {@code benchmarks/run.sh --scenario flow-runtime [--contacts N] [--pg-admin-url URL] [--keep-databases]}.
 * <ul>
 *   <li>{@code saga}: Herald booted in this JVM with one extra saga ({@link FlowRunSaga}, a pooled processor
 *       of 2 segments, batches of 100, on Herald's JDBC saga store): N entry events published in chunks of
 *       1,000 start N sagas; then one event per contact moves each of them on (association lookup, load,
 *       save). Reported: sagas started per second, steps per second, the saga tables' rows and size.</li>
 *   <li>{@code table} (the baseline, same PostgreSQL): the shape the delivery workers use, one row per run in
 *       a table with a due-time index; N rows inserted with {@code unnest} in chunks of 1,000, then two
 *       threads move every due run on in batches of 1,000 ({@code FOR UPDATE SKIP LOCKED}).</li>
 * </ul>
 */
public final class FlowRuntimeBenchmark {

    public static boolean wants(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--scenario") && args[i + 1].equals("flow-runtime")) {
                return true;
            }
        }
        return false;
    }

    private final String adminUrl;
    private final int contacts;
    private final boolean keep;
    private ScenarioRun run;

    private FlowRuntimeBenchmark(String adminUrl, int contacts, boolean keep) {
        this.adminUrl = adminUrl;
        this.contacts = contacts;
        this.keep = keep;
    }

    public static void main(String[] args) throws Exception {
        String adminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        int contacts = 100_000;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scenario" -> i++;
                case "--pg-admin-url" -> adminUrl = args[++i];
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--keep-databases" -> keep = true;
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("axoniq.update-check.disabled", "true");
        new FlowRuntimeBenchmark(adminUrl, contacts, keep).run(args);
        System.exit(0);
    }

    private void run(String[] args) throws Exception {
        try (ScenarioRun run = new ScenarioRun("flow-runtime", adminUrl, keep, args, "")) {
            this.run = run;
            table();
            saga();
            run.write();
        }
    }

    // --- a table of runs (the baseline) -------------------------------------------------------------

    private void table() throws Exception {
        String url = run.newDatabase();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("create table flow_run (contact_id uuid primary key, flow_id varchar(64) not null, "
                              + "node integer not null, due_at timestamptz not null, updated_at timestamptz not null)");
            s.execute("create index flow_run_due_idx on flow_run (due_at)");
        }
        List<UUID> ids = ids();
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement insert = c.prepareStatement(
                     "insert into flow_run (contact_id, flow_id, node, due_at, updated_at) "
                             + "select id, 'flow-1', 1, now(), now() from unnest(?::uuid[]) as u(id)")) {
            for (int from = 0; from < ids.size(); from += 1_000) {
                insert.setArray(1, c.createArrayOf("uuid", ids.subList(from, Math.min(ids.size(), from + 1_000))
                        .toArray()));
                insert.executeUpdate();
            }
        }
        double entered = seconds(started);
        started = System.nanoTime();
        AtomicLong moved = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            workers.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url);
                     PreparedStatement step = c.prepareStatement(
                             "with due as materialized (select contact_id from flow_run where due_at <= now() order by due_at "
                                     + "limit 1000 for update skip locked) "
                                     + "update flow_run r set node = r.node + 1, due_at = now() + interval '1 hour', "
                                     + "updated_at = now() from due where r.contact_id = due.contact_id")) {
                    int n;
                    while ((n = step.executeUpdate()) > 0) {
                        moved.addAndGet(n);
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        double steps = seconds(started);
        run.line("table", String.format("%,d runs entered in %.1f s (**%,.0f/s**); every run moved one node on "
                                         + "in %.1f s (**%,.0f/s**, %,d moved, 2 threads, batches of 1,000); %s",
                                 contacts, entered, contacts / entered, steps, moved.get() / steps, moved.get(),
                                 sizes(url, "flow_run")));
    }

    // --- a saga per run ----------------------------------------------------------------------------------

    private void saga() throws Exception {
        String url = run.newDatabase();
        List<String> args = List.of(
                "--server.port=0", "--server.address=127.0.0.1",
                "--herald.database.url=" + url,
                "--herald.data-dir=" + Files.createTempDirectory("herald-bench-flow"),
                "--herald.delivery.worker.enabled=false",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--" + FlowRunSaga.ENABLED + "=true",
                "--axon.eventhandling.processors." + FlowRunSaga.GROUP + ".mode=pooled",
                "--axon.eventhandling.processors." + FlowRunSaga.GROUP + ".source=promptEventSource",
                "--axon.eventhandling.processors." + FlowRunSaga.GROUP + ".initial-segment-count=2",
                "--axon.eventhandling.processors." + FlowRunSaga.GROUP + ".thread-count=2",
                "--axon.eventhandling.processors." + FlowRunSaga.GROUP + ".batch-size=100");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HeraldApplication.class,
                                                                                    FlowRunSaga.class)
                .web(WebApplicationType.SERVLET).logStartupInfo(false).registerShutdownHook(false)
                .run(args.toArray(String[]::new))) {
            EventGateway events = context.getBean(EventGateway.class);
            List<UUID> ids = ids();
            FlowRunSaga.ENTERED.set(0);
            FlowRunSaga.STEPPED.set(0);
            long started = System.nanoTime();
            publish(events, ids, id -> new FlowRunSaga.FlowEntered(id.toString(), "flow-1"));
            await(FlowRunSaga.ENTERED::get, "entered");
            double entered = seconds(started);
            long heapWaiting = heapAfterGc();
            started = System.nanoTime();
            publish(events, ids, id -> new FlowRunSaga.FlowStepDue(id.toString()));
            await(FlowRunSaga.STEPPED::get, "stepped");
            double steps = seconds(started);
            run.line("saga", String.format("%,d sagas started by their entry events in %.1f s (**%,.0f/s**); "
                                             + "one event per contact moved each on in %.1f s (**%,.0f/s**); heap after "
                                             + "GC with every run waiting: %d MiB; %s; %s",
                                     contacts, entered, contacts / entered, steps, contacts / steps,
                                     heapWaiting >> 20, sizes(url, "saga_entry"), sizes(url, "association_value_entry")));
        }
    }

    private void publish(EventGateway events, List<UUID> ids, java.util.function.Function<UUID, Object> event) {
        for (int from = 0; from < ids.size(); from += 1_000) {
            events.publish(ids.subList(from, Math.min(ids.size(), from + 1_000)).stream().map(event).toList());
        }
    }

    private void await(LongSupplier handled, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (handled.getAsLong() < contacts) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": only " + handled.getAsLong() + " of " + contacts);
            }
            Thread.sleep(20);
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private List<UUID> ids() {
        List<UUID> ids = new ArrayList<>(contacts);
        for (int i = 0; i < contacts; i++) {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String sizes(String url, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), pg_total_relation_size('" + table + "') from " + table)) {
            rs.next();
            return String.format("%s: %,d rows, %,d MiB with indexes", table, rs.getLong(1), rs.getLong(2) >> 20);
        }
    }
}
