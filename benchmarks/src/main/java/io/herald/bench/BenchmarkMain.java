package io.herald.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark harness: {@code benchmarks/run.sh [options]} (see {@link BenchOptions#USAGE}).
 *
 * <p>Scenario create-campaign: a plain-JDBC INSERT baseline, then Herald booted in this JVM once
 * per Axon storage engine (JDBC, JPA), each against a fresh database on the same PostgreSQL,
 * driven through the CommandGateway and over HTTP. Prints a markdown table and writes it to
 * {@code benchmarks/target/results-<timestamp>.md}.
 */
public final class BenchmarkMain {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final BenchOptions options;
    private final PostgresServer server;
    private final String stamp;
    private final List<CaseResult> results = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final long started = System.nanoTime();

    private BenchmarkMain(BenchOptions options, PostgresServer server, String stamp) {
        this.options = options;
        this.server = server;
        this.stamp = stamp;
    }

    public static void main(String[] args) throws Exception {
        if (io.herald.bench.delivery.DeliveryBenchmark.wants(args)) {
            io.herald.bench.delivery.DeliveryBenchmark.main(args); // --scenario delivery: see BENCHMARKS.md
            return;
        }
        if (io.herald.bench.audience.AudienceBenchmark.wants(args)) {
            io.herald.bench.audience.AudienceBenchmark.main(args); // --scenario audience: see BENCHMARKS.md
            return;
        }
        if (io.herald.bench.flow.FlowRuntimeBenchmark.wants(args)) {
            io.herald.bench.flow.FlowRuntimeBenchmark.main(args); // --scenario flow-runtime: see BENCHMARKS.md
            return;
        }
        if (io.herald.bench.flow.FlowTargetsBenchmark.wants(args)) {
            io.herald.bench.flow.FlowTargetsBenchmark.main(args); // --scenario flow-targets: see BENCHMARKS.md
            return;
        }
        if (io.herald.bench.webhook.WebhooksBenchmark.wants(args)) {
            io.herald.bench.webhook.WebhooksBenchmark.main(args); // --scenario webhooks: see BENCHMARKS.md
            return;
        }
        if (io.herald.bench.throttle.ThrottleBenchmark.wants(args)) {
            io.herald.bench.throttle.ThrottleBenchmark.main(args); // --scenario throttle: see BENCHMARKS.md
            return;
        }
        // Axon's update checker and console banner phone home: never (run.sh passes the same flags)
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("axoniq.update-check.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);

        BenchOptions options = BenchOptions.parse(args);
        String stamp = LocalDateTime.now().format(STAMP);
        try (PostgresServer server = PostgresServer.open(options)) {
            Thread cleanup = new Thread(() -> {
                if (!options.keepDatabases()) {
                    server.dropLeftovers(); // interrupted (Ctrl-C, kill): leave no bench_* database behind
                }
            }, "bench-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            new BenchmarkMain(options, server, stamp).run();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        System.exit(0); // leftover non-daemon threads of closed contexts must not keep the JVM
    }

    private void run() throws Exception {
        log("Herald benchmark, scenario " + options.scenario() + ": " + options.runs() + " runs of "
                    + options.duration().toMillis() + " ms per case after " + options.warmup().toMillis()
                    + " ms warm-up; clients " + options.clients() + "; engines " + options.engines()
                    + (options.appProperties().isEmpty() ? "" : "; application properties " + options.appProperties()));
        log("Database: " + server.describe() + " (" + server.settings() + ")");
        if (options.part("baseline")) {
            baseline();
        }
        boolean first = true;
        for (String engine : options.engines()) {
            engine(engine, first);
            first = false;
        }
        report();
    }

    private void baseline() throws Exception {
        String database = "bench_baseline_" + stamp.replace('-', '_');
        server.create(database);
        try {
            Baseline.migrate(server, database);
            try (ResourceSampler sampler = sampler(database)) {
                for (int clients : options.clients()) {
                    measure("baseline INSERT, 1 row/tx", "plain JDBC", clients, "rows/s", 1,
                            Baseline.inserts(server, database, 1), sampler, null);
                }
                int batch = options.batchSize();
                for (int clients : options.clients()) {
                    measure("baseline INSERT, batch of " + batch + "/tx", "plain JDBC", clients, "rows/s", batch,
                            Baseline.inserts(server, database, batch), sampler, null);
                }
            }
        } finally {
            dropUnlessKept(database);
        }
    }

    private void engine(String engine, boolean first) throws Exception {
        String database = "bench_" + engine + "_" + stamp.replace('-', '_');
        server.create(database);
        long bootStart = System.nanoTime();
        try (HeraldInstance herald = HeraldInstance.boot(engine, server, database, options);
             ResourceSampler sampler = sampler(database)) {
            log(engine + ": Herald up in " + millis(System.nanoTime() - bootStart) + " ms on port " + herald.port()
                        + ", " + herald.storageDescription() + ", pool size " + herald.poolSize());
            String storage = herald.storageDescription();
            String expected = engine.equals("jpa") ? "eventstore.jpa.JpaEventStorageEngine"
                    : "eventstore.jdbc.JdbcEventStorageEngine";
            if (!storage.contains(expected)) {
                throw new IllegalStateException("The " + engine + " run did not get the " + engine + " engine: " + storage);
            }
            notes.add(engine + " engine: " + storage);
            if (options.part("http") || options.part("http-get") || options.part("http-echo")) {
                log(engine + ": HTTP requests " + (herald.authorization() == null ? "without credentials"
                        : "with a bearer token of a freshly registered account"));
            }
            if (!options.warmup().isZero() && (options.part("gateway") || options.part("http"))) {
                // every engine starts from the same JIT state of its own code paths: the first engine
                // must not pay the JVM's warm-up alone, nor the second profit from the first's
                LoadDriver.run(herald.gatewayClients(), options.maxClients(), options.warmup().multipliedBy(2));
                herald.awaitProjection(Duration.ofSeconds(60));
                LoadDriver.run(HttpClients.createCampaign(options.httpClient(), herald.port(), herald.authorization()),
                               options.maxClients(), options.warmup().multipliedBy(2));
                herald.awaitProjection(Duration.ofSeconds(60));
            }
            if (options.part("idle")) {
                // what the application does on its own, with no requests (after the warm-up, with
                // tokens claimed and projections caught up): processors, schedulers
                Duration idle = options.duration().compareTo(Duration.ofSeconds(5)) < 0 ? options.duration()
                        : Duration.ofSeconds(5);
                measureOnce("idle (no requests)", engine, idle, sampler);
            }
            if (options.part("gateway")) {
                for (int clients : options.clients()) {
                    measure("create via CommandGateway", engine, clients, "cmd/s", 1, herald.gatewayClients(), sampler,
                            herald);
                }
            }
            if (options.part("http")) {
                for (int clients : options.clients()) {
                    measure("create via HTTP POST", engine, clients, "req/s", 1,
                            HttpClients.createCampaign(options.httpClient(), herald.port(), herald.authorization()), sampler, herald);
                }
            }
            if (first && options.part("http-echo")) {
                // the HTTP layer alone: same body in and out through Tomcat, the filters and Jackson
                measure("HTTP echo, no Axon/DB (yardstick)", engine, options.maxClients(), "req/s", 1,
                        HttpClients.echo(options.httpClient(), herald.port(), herald.authorization()), sampler, null);
            }
            if (first && options.part("http-get")) {
                // the read path does not depend on the storage engine: measured once, as a yardstick
                // for what HTTP + Spring MVC + the query bus cost on these cores without any write
                List<String> ids = herald.campaignIds(10_000);
                if (!ids.isEmpty()) {
                    measure("read via HTTP GET (yardstick)", engine, options.maxClients(), "req/s", 1,
                            HttpClients.getCampaign(options.httpClient(), herald.port(), ids, herald.authorization()), sampler, null);
                }
            }
            herald.awaitProjection(Duration.ofSeconds(60));
            String verification = herald.verification();
            log(engine + ": " + verification);
            notes.add(engine + " engine after the runs: " + verification);
        } finally {
            dropUnlessKept(database);
        }
    }

    private void measure(String scenario, String engine, int clients, String unit, int opsPerCall,
                         LoadDriver.ClientFactory factory, ResourceSampler sampler, HeraldInstance herald)
            throws Exception {
        if (!options.warmup().isZero()) {
            LoadDriver.Run warm = LoadDriver.run(factory, clients, options.warmup());
            settle(herald);
            if (warm.errors() > 0) {
                log("  warm-up errors: " + warm.errors() + ", first: " + warm.firstError());
            }
        }
        List<LoadDriver.Run> runs = new ArrayList<>();
        List<ResourceSampler.Usage> usages = new ArrayList<>();
        for (int i = 0; i < options.runs(); i++) {
            ResourceSampler.Snapshot[] snapshots = new ResourceSampler.Snapshot[2];
            ThreadCpu.Snapshot[] threads = new ThreadCpu.Snapshot[2];
            LoadDriver.Run run = LoadDriver.run(factory, clients, options.duration(),
                                                () -> {
                                                    threads[0] = ThreadCpu.snapshot();
                                                    snapshots[0] = sampler.snapshot();
                                                },
                                                () -> {
                                                    snapshots[1] = sampler.snapshot();
                                                    threads[1] = ThreadCpu.snapshot();
                                                });
            ResourceSampler.Usage usage = ResourceSampler.usage(snapshots[0], snapshots[1], run.clientCpuNanos());
            runs.add(run);
            usages.add(usage);
            String catchUp = settle(herald);
            log(String.format(Locale.ROOT, "  %s | %s | %d clients | run %d: %,.0f %s, p50 %.2f ms, p99 %.2f ms, "
                                      + "errors %d; CPU machine %.2f, JVM %.2f (client %.2f), PostgreSQL %.2f, "
                                      + "other %.2f cores; %.0f commits/s, %.0f WAL syncs/s%s",
                              scenario, engine, clients, i + 1, run.opsPerSecond() * opsPerCall, unit,
                              run.latencyMicros().getValueAtPercentile(50) / 1000.0,
                              run.latencyMicros().getValueAtPercentile(99) / 1000.0, run.errors(),
                              usage.machineCores(), usage.jvmCores(), usage.clientCores(), usage.postgresCores(),
                              usage.otherCores(), usage.commitsPerSecond(), usage.walSyncsPerSecond(), catchUp));
            log("  JVM CPU ms per call by thread: " + ThreadCpu.perOperation(
                    threads[0], threads[1], run.opsPerSecond() * options.duration().toNanos() / 1e9, 12));
            if (run.errors() > 0) {
                log("  first error: " + run.firstError());
            }
        }
        results.add(new CaseResult(scenario, engine, clients, unit, opsPerCall, runs, usages, null));
    }

    /** One window without requests: the application's background work. */
    private void measureOnce(String scenario, String engine, Duration duration, ResourceSampler sampler)
            throws Exception {
        ResourceSampler.Snapshot[] snapshots = new ResourceSampler.Snapshot[2];
        LoadDriver.Run run = LoadDriver.run(index -> sequence -> true, 0, duration,
                                            () -> snapshots[0] = sampler.snapshot(),
                                            () -> snapshots[1] = sampler.snapshot());
        ResourceSampler.Usage usage = ResourceSampler.usage(snapshots[0], snapshots[1], 0);
        log(String.format(Locale.ROOT, "  %s | %s: CPU JVM %.2f, PostgreSQL %.2f, other %.2f cores; %.0f commits/s, "
                                  + "%.0f token_entry writes/s, %.0f WAL syncs/s",
                          scenario, engine, usage.jvmCores(), usage.postgresCores(), usage.otherCores(),
                          usage.commitsPerSecond(), usage.tokenWritesPerSecond(), usage.walSyncsPerSecond()));
        results.add(new CaseResult(scenario, engine, 0, "–", 1, List.of(run), List.of(usage), null));
    }

    /** Lets the projection catch up between runs so one run's backlog does not load the next. */
    private String settle(HeraldInstance herald) throws Exception {
        if (herald == null) {
            return "";
        }
        Duration lag = herald.awaitProjection(Duration.ofSeconds(60));
        return lag.toMillis() > 100 ? "; projection caught up " + lag.toMillis() + " ms after the run" : "";
    }

    private ResourceSampler sampler(String database) throws Exception {
        return new ResourceSampler(server.url(database), server.user(), server.password(), database);
    }

    private void dropUnlessKept(String database) {
        if (options.keepDatabases()) {
            log("kept database " + database);
            return;
        }
        try {
            server.drop(database);
        } catch (Exception e) {
            log("could not drop " + database + ": " + e.getMessage());
        }
    }

    private void report() throws IOException {
        String header = "Herald benchmark " + stamp + ", scenario " + options.scenario() + "\n\n"
                + "- Machine: " + machine() + "\n"
                + "- Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, "
                + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-XX") || a.startsWith("-Xm")).toList() + "\n"
                + "- Database: " + server.describe() + " (" + server.settings() + ")\n"
                + "- " + options.runs() + " runs of " + options.duration().toMillis() + " ms per case after "
                + options.warmup().toMillis() + " ms warm-up; load generator: closed loop, "
                + (options.httpClient().equals("socket") ? "keep-alive HTTP/1.1 sockets" : "java.net.http HTTP/1.1")
                + ", in the same JVM as the application\n"
                + (options.appProperties().isEmpty() ? "" : "- Application properties set: " + options.appProperties() + "\n")
                + "- Total time " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s\n";
        StringBuilder md = new StringBuilder(header).append('\n')
                .append(CaseResult.resultsTable(results)).append('\n')
                .append("CPU in cores (this machine has ").append(Runtime.getRuntime().availableProcessors())
                .append("). \"This JVM\" is Herald plus the load generator; \"client threads\" is the CPU of the ")
                .append("benchmark's client threads: for HTTP the load generator alone, for the CommandGateway ")
                .append("also the command handling, which Axon's SimpleCommandBus runs on the caller's thread. ")
                .append("\"Other processes\" is whatever else ran on the machine. PostgreSQL counters per call ")
                .append("and per second; WAL syncs are cluster-wide:\n\n")
                .append(CaseResult.resourceTable(results)).append('\n')
                .append("Per-run throughput:\n\n");
        for (CaseResult r : results) {
            md.append("- ").append(r.scenario()).append(" / ").append(r.engine()).append(" / ")
              .append(r.clients()).append(": ").append(CaseResult.runsLine(r));
            if (r.errors() > 0) {
                md.append(" — ").append(r.errors()).append(" errors, first: ").append(r.firstError());
            }
            md.append('\n');
        }
        if (!notes.isEmpty()) {
            md.append('\n');
            for (String note : notes) {
                md.append("- ").append(note).append('\n');
            }
        }
        System.out.println();
        System.out.println(md);
        Files.createDirectories(options.outputDirectory());
        Path file = options.outputDirectory().resolve("results-" + stamp + ".md");
        Files.writeString(file, md);
        log("written to " + file.toAbsolutePath());
    }

    private static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                       .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException ignored) {
            // not Linux
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 30;
        return Runtime.getRuntime().availableProcessors() + " vCPU (" + cpu + "), " + memory + " GiB RAM";
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static void log(String message) {
        System.out.println("[bench " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_TIME).substring(0, 8)
                                   + "] " + message);
    }
}
