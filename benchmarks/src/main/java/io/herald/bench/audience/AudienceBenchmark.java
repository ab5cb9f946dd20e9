package io.herald.bench.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.bench.ThreadCpu;
import io.herald.gateway.HeraldApplication;
import io.herald.saga.engagement.TrackingTokens;
import org.HdrHistogram.Histogram;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audience scenarios (issue "Audience"): {@code benchmarks/run.sh --scenario audience [options]}.
 * <ul>
 *   <li>{@code import}: a 1,000,000-row CSV (email, external id, 5 attributes) through
 *       {@code POST /api/contacts/imports}: time to COMPLETED, time until the contact read model
 *       holds every row, peak heap; beside PostgreSQL's COPY of the same rows into a bare table.</li>
 *   <li>{@code tracking}: {@code POST /api/track/batch} (100 events per request) from
 *       {@code --batch-clients} connections for {@code --tracking-duration}, and {@code POST /api/track}
 *       from 32; beside plain multi-row INSERTs of the same event-store rows, same run.</li>
 *   <li>{@code segments}: 10,000,000 tracked events generated in SQL over the imported contacts
 *       (or 1,000,000 generated ones), then {@code POST /api/segments/preview} for an attribute
 *       rule and behavioural rules, warm, p95 over {@code --segment-runs}; with EXPLAIN ANALYZE.</li>
 *   <li>{@code engagement} (not in the default parts): the open pixel {@code GET /t/o/{token}} and the click
 *       redirect {@code GET /t/c/{token}} of 20,000 deliveries of one campaign, each after the single-event
 *       endpoint {@code POST /api/track} as its yardstick, same clients ({@code --single-clients}), same run.</li>
 * </ul>
 * Herald runs in this JVM against a fresh database on the local PostgreSQL (dropped at the end
 * unless {@code --keep-databases}).
 */
public final class AudienceBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** With {@code --batch-rate}/{@code --single-rate}: Herald counts as quiet below this CPU (ns per s, 0.15 core). */
    private static final double QUIET = 150e6;
    private static final String[] EVENTS = {"Purchase", "Page Viewed", "Added to Cart", "Signed In", "Searched",
            "Viewed Product", "Opened Email", "Clicked Email", "Shared", "Reviewed"};

    private final Options options;
    private final String database;
    private final List<String> report = new ArrayList<>();
    private ConfigurableApplicationContext herald;
    private int port;
    private String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Options(String adminUrl, List<String> parts, int rows, long trackedEvents, Duration trackingDuration,
                   int batchClients, int singleClients, int segmentRuns, boolean keep, List<String> set,
                   String database, String loadGenerator, int importWarmupRows, double batchRate, double singleRate,
                   Duration trackingWarmup) {

        static Options parse(String[] args) {
            String adminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
            List<String> parts = List.of("import", "tracking", "segments");
            int rows = 1_000_000;
            long events = 10_000_000;
            Duration tracking = Duration.ofSeconds(60);
            int batchClients = 8;
            int singleClients = 32;
            int segmentRuns = 20;
            boolean keep = false;
            String database = null;
            // wrk in its own process when installed: a generator inside Herald's JVM costs that JVM as much CPU
            // per single event as Herald itself (BENCHMARKS.md, 2026-12-06, third session)
            String loadGenerator = wrkInstalled() ? "wrk" : "java";
            int importWarmupRows = 100_000;
            double batchRate = 0;
            double singleRate = 0;
            // the JIT still compiles for a while after 10 s (JFR: C2 about half a core in the batch phase after it)
            Duration trackingWarmup = Duration.ofSeconds(10);
            List<String> set = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--pg-admin-url" -> adminUrl = args[++i];
                    case "--parts" -> parts = Arrays.asList(args[++i].split(","));
                    case "--rows" -> rows = Integer.parseInt(args[++i]);
                    case "--tracked-events" -> events = Long.parseLong(args[++i]);
                    case "--tracking-duration" -> tracking = Duration.parse("PT" + args[++i].toUpperCase(Locale.ROOT));
                    case "--batch-clients" -> batchClients = Integer.parseInt(args[++i]);
                    case "--single-clients" -> singleClients = Integer.parseInt(args[++i]);
                    case "--segment-runs" -> segmentRuns = Integer.parseInt(args[++i]);
                    case "--keep-databases" -> keep = true;
                    case "--database" -> database = args[++i];
                    case "--set" -> set.add(args[++i]);
                    case "--load-generator" -> loadGenerator = args[++i];
                    case "--import-warmup-rows" -> importWarmupRows = Integer.parseInt(args[++i]);
                    case "--batch-rate" -> batchRate = Double.parseDouble(args[++i]);
                    case "--single-rate" -> singleRate = Double.parseDouble(args[++i]);
                    case "--tracking-warmup" -> trackingWarmup = Duration.parse("PT" + args[++i].toUpperCase(Locale.ROOT));
                    case "--scenario" -> i++;
                    default -> {
                        if (a.startsWith("--") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            i++; // an option of the main harness: not ours
                        }
                    }
                }
            }
            return new Options(adminUrl, parts, rows, events, tracking, batchClients, singleClients, segmentRuns,
                               keep || database != null, set, database, loadGenerator, importWarmupRows, batchRate,
                               singleRate, trackingWarmup);
        }

        private static boolean wrkInstalled() {
            String path = System.getenv("PATH");
            return path != null && Arrays.stream(path.split(File.pathSeparator))
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, "wrk")));
        }
    }

    public static boolean wants(String[] args) {
        String scenario = null;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--scenario")) {
                scenario = args[i + 1];
            }
        }
        return "audience".equals(scenario);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        AudienceBenchmark benchmark = new AudienceBenchmark(options, options.database() != null ? options.database()
                : "bench_audience_" + stamp);
        try {
            benchmark.run();
        } finally {
            benchmark.close();
        }
        Path out = Path.of("benchmarks/target/audience-" + stamp + ".md");
        Files.createDirectories(out.getParent());
        Files.write(out, benchmark.report);
        System.out.println("\nWritten to " + out);
        System.exit(0);
    }

    private AudienceBenchmark(Options options, String database) {
        this.options = options;
        this.database = database;
    }

    private void log(String line) {
        System.out.println(line);
        report.add(line);
    }

    private String url() {
        int slash = options.adminUrl().indexOf('/', "jdbc:postgresql://".length());
        int query = options.adminUrl().indexOf('?', slash);
        return options.adminUrl().substring(0, slash + 1) + database
                + (query >= 0 ? options.adminUrl().substring(query) : "");
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(url());
    }

    private void run() throws Exception {
        if (options.database() == null) {
            try (Connection admin = DriverManager.getConnection(options.adminUrl()); Statement s = admin.createStatement()) {
                s.execute("create database " + database);
            }
        }
        log("# Audience benchmark " + Instant.now() + " (database " + database + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores, max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB)");
        boot();
        if (options.parts().contains("import")) {
            importScenario();
        }
        if (options.parts().contains("tracking")) {
            trackingScenario();
        }
        if (options.parts().contains("segments")) {
            segmentScenario();
        }
        if (options.parts().contains("engagement")) {
            engagementScenario();
        }
    }

    private void boot() throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0", "--server.address=127.0.0.1",
                "--herald.database.url=" + url(),
                "--herald.data-dir=" + Files.createTempDirectory("herald-audience-bench"),
                "--herald.rate-limits.enabled=false",
                // a 1M-row CSV is ~90 MB: above the default 16 MiB bulk body limit
                "--herald.security.limits.max-bulk-body-bytes=2147483648",
                "--logging.level.root=WARN", "--logging.level.io.herald=INFO",
                "--logging.level.io.herald.gateway.contact.Queries=ERROR"));
        for (String property : options.set()) {
            args.add("--" + property);
        }
        herald = new SpringApplicationBuilder(HeraldApplication.class).web(WebApplicationType.SERVLET)
                .logStartupInfo(false).registerShutdownHook(false).run(args.toArray(String[]::new));
        port = ((WebServerApplicationContext) herald).getWebServer().getPort();
        String email = "bench@herald.test";
        String password = "correct horse battery staple 42";
        send("POST", "/api/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
        JsonNode login = JSON.readTree(send("POST", "/api/auth/login",
                                            "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null).body());
        token = login.get("accessToken").asText();
        log("Herald up on port " + port);
    }

    private HttpResponse<String> send(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                             : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---------------------------------------------------------------- import

    private static final String IMPORT_MAPPING = "{\"email\":\"email\",\"externalId\":\"user_id\",\"attributes\":[{\"column\":\"plan\"},"
            + "{\"column\":\"age\",\"type\":\"NUMBER\"},{\"column\":\"country\"},{\"column\":\"score\",\"type\":\"NUMBER\"},"
            + "{\"column\":\"signup\",\"type\":\"DATE\"}]}";

    /** A generated contacts CSV: email, external id and 5 attributes; {@code prefix} keeps files apart. */
    private static Path importCsv(int rows, String prefix) throws IOException {
        Path csv = Files.createTempFile("audience-import", ".csv");
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("email,user_id,plan,age,country,score,signup\n");
            String[] plans = {"free", "pro", "team", "enterprise"};
            String[] countries = {"FR", "DE", "US", "GB", "ES", "IT"};
            for (int i = 0; i < rows; i++) {
                out.write(prefix + i + "@example" + (i % 97) + ".com," + (prefix.equals("user") ? "u" : prefix) + "-" + i + "," + plans[i % 4] + "," + (18 + i % 60)
                                  + "," + countries[i % 6] + "," + ((i * 7919L) % 1000) + ",20"
                                  + (20 + i % 5) + "-0" + (1 + i % 9) + "-1" + (i % 9) + "\n");
            }
        }
        return csv;
    }

    private record ImportRun(JsonNode view, long start, long accepted, long completed, long readModel) {
    }

    /** Posts the CSV, waits for COMPLETED, then for the contact read model to hold {@code expectedContacts}. */
    private ImportRun runImport(Path csv, long contactsBefore) throws Exception {
        long start = System.nanoTime();
        String boundary = "----bench" + UUID.randomUUID().toString().replace("-", "");
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"mapping\"\r\n\r\n" + IMPORT_MAPPING + "\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nUPSERT\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"contacts.csv\"\r\nContent-Type: text/csv\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/contacts/imports"))
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                                                        HttpRequest.BodyPublishers.ofFile(csv),
                                                        HttpRequest.BodyPublishers.ofString(tail)))
                .build();
        HttpResponse<String> started = http.send(request, HttpResponse.BodyHandlers.ofString());
        long accepted = System.nanoTime();
        if (started.statusCode() != 202) {
            log("- import refused: " + started.statusCode() + " " + started.body());
            return null;
        }
        String importId = JSON.readTree(started.body()).get("id").asText();
        JsonNode view;
        while (true) {
            view = JSON.readTree(send("GET", "/api/contacts/imports/" + importId, null, token).body());
            if (!"RUNNING".equals(view.get("state").asText())) {
                break;
            }
            Thread.sleep(200);
        }
        long completed = System.nanoTime();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery("select count(*) from contact")) {
                    rs.next();
                    if (rs.getLong(1) >= contactsBefore + view.get("created").asLong()) {
                        break;
                    }
                }
                Thread.sleep(250);
            }
        }
        return new ImportRun(view, start, accepted, completed, System.nanoTime());
    }

    private void importScenario() throws Exception {
        int rows = options.rows();
        Path csv = importCsv(rows, "user");
        try {
            long size = Files.size(csv);
            log("\n## Import: " + rows + " rows, " + size / (1 << 20) + " MiB CSV (email, external id, 5 attributes)");

            long copyMillis = copyBaseline(csv);
            log(String.format(Locale.ROOT, "- PostgreSQL COPY of the same rows into a table with unique email and external id: %.1f s (%,.0f rows/s)",
                              copyMillis / 1000.0, rows * 1000.0 / copyMillis));

            long contactsBefore = 0;
            if (options.importWarmupRows() > 0) {
                // a JVM this young spends much of the first import compiling (JFR: ~18 s of C2 time in a 35-s,
                // 300,000-row import); a server that has been up has compiled these paths already
                Path warmup = importCsv(options.importWarmupRows(), "warmup");
                try {
                    ImportRun run = runImport(warmup, 0);
                    if (run == null) {
                        return;
                    }
                    contactsBefore = run.view().get("created").asLong();
                    double seconds = (run.completed() - run.start()) / 1e9;
                    log(String.format(Locale.ROOT, "- warm-up import (other contacts, not measured; --import-warmup-rows): %,d rows in %.1f s (%,.0f rows/s, cold JVM)",
                                      options.importWarmupRows(), seconds, options.importWarmupRows() / seconds));
                } finally {
                    Files.deleteIfExists(warmup);
                }
            }

            resetPeakHeap();
            HeapSampler heap = new HeapSampler();
            heap.start();
            ImportRun run = runImport(csv, contactsBefore);
            heap.stopSampling();
            if (run == null) {
                return;
            }
            JsonNode view = run.view();
            double total = (run.completed() - run.start()) / 1e9;
            log(String.format(Locale.ROOT, "- upload answered (file streamed to disk, checked, import registered): %.1f s",
                              (run.accepted() - run.start()) / 1e9));
            log(String.format(Locale.ROOT, "- **import COMPLETED after %.1f s** (%,.0f rows/s): state %s, read %d, created %d, updated %d, rejected %d",
                              total, rows / total, view.get("state").asText(), view.get("rowsRead").asLong(),
                              view.get("created").asLong(), view.get("updated").asLong(), view.get("rejected").asLong()));
            log(String.format(Locale.ROOT, "- contact read model complete after %.1f s (projection lag after COMPLETED: %.1f s)",
                              (run.readModel() - run.start()) / 1e9, (run.readModel() - run.completed()) / 1e9));
            log(String.format(Locale.ROOT, "- heap: peak used %d MiB (sampled every 100 ms; max heap %d MiB); peak after GC %d MiB",
                              heap.peak / (1 << 20), Runtime.getRuntime().maxMemory() / (1 << 20), peakAfterGc() / (1 << 20)));
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    private long copyBaseline(Path csv) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            // the contact-shaped table the "COPY of 1M such rows" means: unique email and external id
            s.execute("create table bench_copy (email text unique, user_id text unique, plan text, age int, country text, "
                              + "score int, signup text)");
            long start = System.nanoTime();
            org.postgresql.copy.CopyManager copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            try (var reader = Files.newBufferedReader(csv)) {
                copy.copyIn("copy bench_copy from stdin with (format csv, header true)", reader);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            s.execute("drop table bench_copy");
            return millis;
        }
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakAfterGc() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                sum += pool.getCollectionUsage().getUsed();
            }
        }
        return sum;
    }

    private static final class HeapSampler extends Thread {
        volatile boolean running = true;
        volatile long peak;

        HeapSampler() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                Runtime r = Runtime.getRuntime();
                peak = Math.max(peak, r.totalMemory() - r.freeMemory());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stopSampling() {
            running = false;
        }
    }

    // -------------------------------------------------------------- tracking

    private String trackBody(int users, boolean batch, int size) {
        StringBuilder sb = new StringBuilder(batch ? "{\"batch\":[" : "");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(',');
            }
            int user = random.nextInt(users);
            sb.append("{\"userId\":\"t-").append(user).append("\",\"event\":\"").append(EVENTS[random.nextInt(EVENTS.length)])
                    .append("\",\"properties\":{\"amount\":").append(random.nextInt(500)).append(",\"sku\":\"sku-")
                    .append(random.nextInt(1000)).append("\"},\"messageId\":\"").append(UUID.randomUUID()).append("\"}");
        }
        return batch ? sb.append("]}").toString() : sb.toString();
    }

    private void trackingScenario() throws Exception {
        int users = 20_000;
        log("\n## Tracking (" + users + " users, unknown ones created on first sight)");
        // warm-up: creates most users, JIT
        load("/api/track/batch", options.batchClients(), options.trackingWarmup(), () -> trackBody(users, true, 100), 100,
             options.batchRate());
        awaitTrackedProjection(Duration.ofMinutes(5));
        Result batch = load("/api/track/batch", options.batchClients(), options.trackingDuration(),
                            () -> trackBody(users, true, 100), 100, options.batchRate());
        log("- load generator: " + ("wrk".equals(options.loadGenerator()) ? "wrk (own process, 2 threads)"
                : "java.net.http in this JVM (wrk not installed, or --load-generator java)"));
        log(String.format(Locale.ROOT, "- **batch endpoint, %d clients, %d s: %,.0f events/s** (%,.0f requests/s of 100), p50 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d",
                          options.batchClients(), options.trackingDuration().toSeconds(), batch.perSecond() * 100,
                          batch.perSecond(), batch.p(50), batch.p(99), batch.max(), batch.errors));
        log("  - " + batch.cpu());
        long lag = awaitTrackedProjection(Duration.ofMinutes(10));
        log(String.format(Locale.ROOT, "- tracked-events read model caught up %.1f s after the run", lag / 1000.0));
        log("- streaming processors at the end of the batch phase: " + processorsBehind());
        // its own warm-up: in a JVM this young the JIT still compiles the single-event path (request parsing,
        // the group commit) during the first seconds, ~0.8 of a core in a JFR recording of an unwarmed run
        load("/api/track", options.singleClients(), options.trackingWarmup(), () -> trackBody(users, false, 1), 1,
             options.singleRate());
        awaitTrackedProjection(Duration.ofMinutes(10));
        Result single = load("/api/track", options.singleClients(), Duration.ofSeconds(Math.min(60, options.trackingDuration().toSeconds())),
                             () -> trackBody(users, false, 1), 1, options.singleRate());
        log(String.format(Locale.ROOT, "- **single-event endpoint, %d clients: %,.0f events/s**, p50 %.1f ms, p99 %.1f ms, errors %d",
                          options.singleClients(), single.perSecond(), single.p(50), single.p(99), single.errors));
        log("  - " + single.cpu());
        log("- streaming processors at the end of the single-event phase: " + processorsBehind());
        awaitTrackedProjection(Duration.ofMinutes(10));
        rawInsertBaseline();
    }

    // ------------------------------------------------------------ engagement

    /**
     * The e-mail tracking endpoints against the single-event tracking endpoint, in the same run and with the same
     * clients (issue "Analytics": pixel and redirect reach at least the single-event endpoint's rate, p99 < 50 ms).
     * A burst of one big campaign: {@code deliveries} recipients of one campaign, each pixel or click request for a
     * random one of them (so the deliveries' own rows rarely meet, while the campaign's report rows are shared by
     * every request, as in a real burst). Tokens are made by the running Herald's own signer, as a sent e-mail's are.
     */
    private void engagementScenario() throws Exception {
        int deliveries = 20_000;
        TrackingTokens signer = herald.getBean(TrackingTokens.class);
        String campaignId = UUID.randomUUID().toString();
        Instant sentAt = Instant.now().minus(Duration.ofHours(1)); // past the soon-after-send window: counted as human
        List<String> opens = new ArrayList<>(deliveries);
        List<String> clicks = new ArrayList<>(deliveries);
        for (int i = 0; i < deliveries; i++) {
            TrackingTokens.Send send = TrackingTokens.Send.ofCampaign(campaignId, UUID.randomUUID().toString(), sentAt, true);
            opens.add("/t/o/" + signer.openToken(send));
            clicks.add("/t/c/" + signer.clickToken(send, i % 3, 3, "https://shop.example/sale?item=" + (i % 3)));
        }
        int clients = options.singleClients();
        Duration measured = Duration.ofSeconds(Math.min(60, options.trackingDuration().toSeconds()));
        log("\n## E-mail tracking endpoints (" + deliveries + " deliveries of one campaign, " + clients + " clients, "
                    + measured.toSeconds() + " s each after " + options.trackingWarmup().toSeconds() + " s of warm-up)");
        int users = 20_000;
        load("/api/track", clients, options.trackingWarmup(), () -> trackBody(users, false, 1), 1, 0);
        awaitTrackedProjection(Duration.ofMinutes(10));
        Result single = load("/api/track", clients, measured, () -> trackBody(users, false, 1), 1, 0);
        awaitTrackedProjection(Duration.ofMinutes(10));
        logEndpoint("single-event endpoint `POST /api/track` (yardstick)", single, single);
        loadPaths(opens, clients, options.trackingWarmup());
        Result pixel = loadPaths(opens, clients, measured);
        logEndpoint("open pixel `GET /t/o/{token}`", pixel, single);
        loadPaths(clicks, clients, options.trackingWarmup());
        Result redirect = loadPaths(clicks, clients, measured);
        logEndpoint("click redirect `GET /t/c/{token}` (302)", redirect, single);
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) filter (where payload_type like '%EmailOpenedEvent'), "
                                                   + "count(*) filter (where payload_type like '%LinkClickedEvent') "
                                                   + "from domain_event_entry")) {
            rs.next();
            log(String.format(Locale.ROOT, "- stored: %,d EmailOpened and %,d LinkClicked events (warm-ups included)",
                              rs.getLong(1), rs.getLong(2)));
        }
    }

    private void logEndpoint(String name, Result result, Result yardstick) {
        log(String.format(Locale.ROOT, "- **%s: %,.0f requests/s** (%.2f of the single-event endpoint's rate), p50 %.1f ms, "
                                  + "p99 %.1f ms, max %.1f ms, errors %d",
                          name, result.perSecond(), result.perSecond() / yardstick.perSecond(), result.p(50),
                          result.p(99), result.max(), result.errors));
        log("  - " + result.cpu());
    }

    /** GET requests to random paths of {@code paths}: from wrk when it is the load generator, else from this JVM. */
    private Result loadPaths(List<String> paths, int clients, Duration duration) throws Exception {
        if (!"wrk".equals(options.loadGenerator())) {
            return loadInProcess(paths, clients, duration);
        }
        StringBuilder table = new StringBuilder("local paths = {\n");
        for (String path : paths) {
            table.append("  \"").append(path).append("\",\n");
        }
        String script = table.append("""
                }
                function init(args)
                  math.randomseed(os.time() * 1000 + math.random(1, 1000000))
                  wrk.method = "GET"
                  wrk.headers["User-Agent"] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                end
                request = function()
                  return wrk.format(nil, paths[math.random(1, #paths)])
                end
                """).toString();
        return runWrk(script, clients, duration);
    }

    /**
     * How far each persisted streaming processor is behind the event store's head, in global-index
     * positions (its furthest segment's token index; the gaps a token carries are not counted).
     */
    private String processorsBehind() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     select t.processor_name,
                            min((substring(convert_from(t.token, 'UTF8') from '"index":([0-9]+)'))::bigint) as lowest,
                            max(jsonb_array_length(coalesce(convert_from(t.token, 'UTF8')::jsonb -> 'gaps', '[]'::jsonb))) as gaps,
                            (select max(global_index) from domain_event_entry) as head
                     from token_entry t where t.token is not null group by t.processor_name order by 1""")) {
            List<String> parts = new ArrayList<>();
            while (rs.next()) {
                parts.add(String.format(Locale.ROOT, "%s %,d behind (%d gaps)", rs.getString(1),
                                        rs.getLong(4) - rs.getLong(2), rs.getLong(3)));
            }
            return parts.isEmpty() ? "none persisted" : String.join(", ", parts);
        } catch (SQLException e) {
            return "not readable (" + e.getMessage() + ")";
        }
    }

    /** Waits until the tracked-events read model holds every tracked event stored so far (all requests have been answered). */
    private long awaitTrackedProjection(Duration max) throws Exception {
        long start = System.nanoTime();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            long stored;
            try (ResultSet rs = s.executeQuery("select count(*) from domain_event_entry "
                                                       + "where payload_type = 'io.herald.api.tracking.EventTrackedEvent'")) {
                rs.next();
                stored = rs.getLong(1);
            }
            while (System.nanoTime() - start < max.toNanos()) {
                try (ResultSet rs = s.executeQuery("select count(*) from tracked_event")) {
                    rs.next();
                    if (rs.getLong(1) >= stored) {
                        break;
                    }
                }
                Thread.sleep(250);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The same event-store rows, written by plain multi-row INSERTs of 100 from the same number of clients. */
    private void rawInsertBaseline() throws Exception {
        byte[] payload;
        byte[] metadata;
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select payload, meta_data from domain_event_entry where payload_type = "
                                                   + "'io.herald.api.tracking.EventTrackedEvent' limit 1")) {
            rs.next();
            payload = rs.getBytes(1);
            metadata = rs.getBytes(2);
            s.execute("create table bench_raw (like domain_event_entry including all)");
        }
        StringBuilder sql = new StringBuilder("insert into bench_raw (aggregate_identifier, sequence_number, type, event_identifier, "
                                                      + "meta_data, payload, payload_revision, payload_type, time_stamp) values ");
        for (int i = 0; i < 100; i++) {
            sql.append(i == 0 ? "" : ",").append("(?,0,null,?,?,?,'1','io.herald.api.tracking.EventTrackedEvent',?)");
        }
        AtomicLong rows = new AtomicLong();
        Duration duration = Duration.ofSeconds(15);
        ExecutorService pool = Executors.newFixedThreadPool(options.batchClients());
        long end = System.nanoTime() + duration.toNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < options.batchClients(); t++) {
            futures.add(pool.submit(() -> {
                try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(sql.toString())) {
                    while (System.nanoTime() < end) {
                        int p = 1;
                        for (int i = 0; i < 100; i++) {
                            String id = UUID.randomUUID().toString();
                            insert.setString(p++, id);
                            insert.setString(p++, id);
                            insert.setBytes(p++, metadata);
                            insert.setBytes(p++, payload);
                            insert.setString(p++, Instant.now().toString());
                        }
                        insert.executeUpdate();
                        rows.addAndGet(100);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop table bench_raw");
        }
        log(String.format(Locale.ROOT, "- raw PostgreSQL, same rows (event-store row of a tracked event, its 3 indexes), multi-row INSERT of 100 per transaction, %d clients: %,.0f rows/s (one table only: Herald also looks the message ids up and writes the read model)",
                          options.batchClients(), rows.get() * 1.0 / duration.toSeconds()));
    }

    /**
     * One load phase. CPU figures are per request: the whole JVM's (Herald, plus the load generator
     * when it runs in this JVM), the client threads' alone, and the whole machine's (PostgreSQL and
     * anything else running included; from /proc/stat, -1 where unavailable).
     */
    record Result(long calls, long errors, Duration elapsed, double p50, double p99, double max, long jvmCpuNanos,
                  long clientCpuNanos, long machineCpuNanos, Instant from, Instant to, double loadAverage) {
        double perSecond() {
            return calls / (elapsed.toNanos() / 1e9);
        }

        double p(double percentile) {
            return percentile == 50 ? p50 : percentile == 99 ? p99 : Double.NaN;
        }

        String cpu() {
            return String.format(Locale.ROOT, "CPU per request: JVM %.2f ms (of which client threads %.2f ms), machine %s; "
                                         + "load average %.1f at the end; %s–%s UTC",
                                 jvmCpuNanos / 1e6 / Math.max(1, calls), clientCpuNanos / 1e6 / Math.max(1, calls),
                                 machineCpuNanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f ms",
                                                                              machineCpuNanos / 1e6 / Math.max(1, calls)),
                                 loadAverage, from.toString().substring(11, 19), to.toString().substring(11, 19));
        }
    }

    /** CPU time of the whole machine (all cores, user + system + irq) since boot, from /proc/stat; -1 if unreadable. */
    private static long machineCpuNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[]{1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(f[i]);
            }
            return busy * 10_000_000L; // USER_HZ = 100
        } catch (Exception e) {
            return -1;
        }
    }

    private Result load(String path, int clients, Duration duration, java.util.function.Supplier<String> bodies,
                        int perCall, double rate) throws Exception {
        if (rate > 0) {
            return loadAtRate(path, clients, duration, bodies, rate);
        }
        return "wrk".equals(options.loadGenerator()) ? loadWithWrk(path, clients, duration, perCall)
                : loadInProcess(path, clients, duration, bodies);
    }

    /** One tracking request; a non-200 answer or a failure counts as an error (the first one kept to be shown). */
    private void post(HttpClient client, String path, String body, AtomicLong errors, String[] firstError) {
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                errors.incrementAndGet();
                firstError[0] = firstError[0] == null ? response.statusCode() + " " + response.body() : firstError[0];
            }
        } catch (Exception e) {
            errors.incrementAndGet();
            firstError[0] = firstError[0] == null ? e.toString() : firstError[0];
        }
    }

    /**
     * Waits (at most 120 s) until this JVM used less than {@link #QUIET} of CPU in each of two consecutive seconds
     * (nothing but Herald runs in it between phases), and answers the lower of the two rates, in ns of CPU per ns.
     */
    private static double awaitQuiet(com.sun.management.OperatingSystemMXBean os) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        double previous = Double.MAX_VALUE;
        while (true) {
            long t0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            Thread.sleep(1_000);
            double rate = (os.getProcessCpuTime() - c0) / ((System.nanoTime() - t0) / 1e9);
            if ((rate < QUIET && previous < QUIET) || System.nanoTime() > deadline) {
                return Math.min(rate, previous) / 1e9;
            }
            previous = rate;
        }
    }

    /**
     * An open model: {@code rate} requests a second on a fixed schedule (request i is due at start + i / rate), sent by
     * up to {@code clients} threads of this JVM; latency counts from the moment a request was due, so a stall is not
     * hidden by the clients waiting. Below Herald's capacity the processors keep up, so the CPU counted here (from a
     * quiet Herald until it is quiet again after the last request) is all the work the events cause,
     * and the CPU per event does not depend on how saturation shares the cores. The client threads' CPU is
     * counted apart, as in the closed loop.
     */
    private Result loadAtRate(String path, int clients, Duration duration, java.util.function.Supplier<String> bodies,
                              double rate) throws Exception {
        long total = (long) (rate * duration.toNanos() / 1e9);
        double interval = 1e9 / rate;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Histogram histogram = new Histogram(60_000_000L, 3);
        AtomicLong tickets = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        String[] firstError = new String[1];
        AtomicLong clientCpu = new AtomicLong();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        // start from a quiet Herald (processors caught up with what came before, the JIT done), and measure what it
        // burns with no request at all (pollers, timers): taken off below
        double idleBefore = awaitQuiet(os);
        Instant from = Instant.now();
        long cpuBefore = os.getProcessCpuTime();
        long machineBefore = machineCpuNanos();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            futures.add(pool.submit(() -> {
                long threadCpu = threads.getCurrentThreadCpuTime();
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (long i = tickets.getAndIncrement(); i < total; i = tickets.getAndIncrement()) {
                    long due = start + (long) (i * interval);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    String body = bodies.get();
                    post(client, path, body, errors, firstError);
                    synchronized (histogram) {
                        histogram.recordValue(Math.min(60_000_000L, (System.nanoTime() - due) / 1000));
                    }
                    calls.incrementAndGet();
                }
                clientCpu.addAndGet(threads.getCurrentThreadCpuTime() - threadCpu);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        long lag = awaitTrackedProjection(Duration.ofMinutes(2));
        double idleAfter = awaitQuiet(os);
        long window = System.nanoTime() - start;
        long gross = os.getProcessCpuTime() - cpuBefore;
        double idleRate = Math.min(idleBefore, idleAfter);
        long cpu = gross - (long) (idleRate * window);
        long machine = machineBefore < 0 ? -1 : machineCpuNanos() - machineBefore;
        double load = os.getSystemLoadAverage();
        log(String.format(Locale.ROOT, "  (at %.0f requests/s for %d s: the read model caught up %.1f s after the last "
                                               + "request, Herald quiet again after %.1f s; CPU over that window: %.2f ms "
                                               + "per request, less Herald's idle CPU (%.1f ms/s, quiet before %.1f, after "
                                               + "%.1f) = %.2f ms)",
                          rate, duration.toSeconds(), lag / 1000.0, (window - elapsed) / 1e9,
                          gross / 1e6 / Math.max(1, calls.get()), idleRate * 1e3, idleBefore * 1e3, idleAfter * 1e3,
                          cpu / 1e6 / Math.max(1, calls.get())));
        if (firstError[0] != null) {
            log("  (first error: " + firstError[0].substring(0, Math.min(300, firstError[0].length())) + ")");
        }
        return new Result(calls.get(), errors.get(), Duration.ofNanos(elapsed),
                          histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                          histogram.getMaxValue() / 1000.0, cpu, clientCpu.get(), machine, from, Instant.now(), load);
    }

    /**
     * The same closed loop from {@code wrk} (C, epoll; Debian package {@code wrk}) in its own process, so the
     * JVM's CPU is Herald's alone. Bodies as {@link #trackBody}: random user of 20,000, random event, unique
     * message ids. Percentiles are wrk's (per request).
     */
    private Result loadWithWrk(String path, int clients, Duration duration, int perCall) throws Exception {
        String nonce = UUID.randomUUID().toString().substring(0, 8);
        String script = """
                local events = {"Purchase", "Page Viewed", "Added to Cart", "Signed In", "Searched",
                                "Viewed Product", "Opened Email", "Clicked Email", "Shared", "Reviewed"}
                local counter = 0
                local threads = 0
                function setup(thread)
                  threads = threads + 1
                  thread:set("tid", threads)
                end
                function init(args)
                  math.randomseed(os.time() * 1000 + tid)
                  wrk.method = "POST"
                  wrk.headers["Content-Type"] = "application/json"
                  wrk.headers["Authorization"] = "Bearer %s"
                end
                local function event()
                  counter = counter + 1
                  return string.format('{"userId":"t-%%d","event":"%%s","properties":{"amount":%%d,"sku":"sku-%%d"},"messageId":"wrk-%s-%%d-%%d"}',
                                       math.random(0, 19999), events[math.random(1, #events)], math.random(0, 499),
                                       math.random(0, 999), tid, counter)
                end
                request = function()
                  local body
                  if %d == 1 then
                    body = event()
                  else
                    local parts = {}
                    for i = 1, %d do parts[i] = event() end
                    body = '{"batch":[' .. table.concat(parts, ",") .. ']}'
                  end
                  return wrk.format(nil, "%s", nil, body)
                end
                """.formatted(token, nonce, perCall, perCall, path);
        return runWrk(script, clients, duration);
    }

    /** wrk with {@code script} for {@code duration}: its counts and percentiles, and this JVM's CPU meanwhile. */
    private Result runWrk(String script, int clients, Duration duration) throws Exception {
        Path file = Files.createTempFile("herald-wrk", ".lua");
        Files.writeString(file, script);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Instant from = Instant.now();
        ThreadCpu.Snapshot threadsBefore = ThreadCpu.snapshot();
        long cpuBefore = os.getProcessCpuTime();
        long machineBefore = machineCpuNanos();
        long start = System.nanoTime();
        Process wrk = new ProcessBuilder("wrk", "-t", "2", "-c", String.valueOf(clients), "-d", duration.toSeconds() + "s",
                                         "--timeout", "60s", "--latency", "-s", file.toString(),
                                         "http://127.0.0.1:" + port).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        long elapsed = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long machine = machineBefore < 0 ? -1 : machineCpuNanos() - machineBefore;
        Files.deleteIfExists(file);
        long calls = wrkNumber(out, "(\\d+) requests in");
        log("  - JVM CPU ms per request by thread: " + ThreadCpu.perOperation(threadsBefore, ThreadCpu.snapshot(), calls, 10));
        long errors = wrkNumber(out, "Non-2xx or 3xx responses: (\\d+)")
                + wrkNumber(out, "Socket errors: connect (\\d+)") + wrkNumber(out, "read \\d+, write \\d+, timeout (\\d+)");
        if (calls == 0) {
            log("  (wrk said: " + out.strip() + ")");
        }
        return new Result(calls, errors, Duration.ofNanos(elapsed), wrkMillis(out, "50%"), wrkMillis(out, "99%"),
                          wrkMillis(out, "Latency"), cpu, 0, machine, from, Instant.now(), os.getSystemLoadAverage());
    }

    private static long wrkNumber(String out, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** A latency in ms from wrk's output: the percentile line, or for "Latency" the Max column. */
    private static double wrkMillis(String out, String label) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                label.equals("Latency") ? "Latency\\s+\\S+\\s+\\S+\\s+(\\S+)" : "\\s" + label + "\\s+(\\S+)").matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        String v = m.group(1);
        double factor = v.endsWith("us") ? 0.001 : v.endsWith("ms") ? 1 : v.endsWith("m") ? 60_000 : 1000; // "s"
        return Double.parseDouble(v.replaceAll("[a-z]+$", "")) * factor;
    }

    private Result loadInProcess(String path, int clients, Duration duration, java.util.function.Supplier<String> bodies)
            throws Exception {
        return loadInProcess(clients, duration, (client, errors, firstError) -> post(client, path, bodies.get(), errors,
                                                                                      firstError));
    }

    /** GET requests to random paths of {@code paths} from this JVM; anything but 200 or 302 counts as an error. */
    private Result loadInProcess(List<String> paths, int clients, Duration duration) throws Exception {
        return loadInProcess(clients, duration, (client, errors, firstError) -> {
            String path = paths.get(ThreadLocalRandom.current().nextInt(paths.size()));
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200 && response.statusCode() != 302) {
                    errors.incrementAndGet();
                    firstError[0] = firstError[0] == null ? response.statusCode() + " " + path : firstError[0];
                }
            } catch (Exception e) {
                errors.incrementAndGet();
                firstError[0] = firstError[0] == null ? e.toString() : firstError[0];
            }
        });
    }

    /** One request of a closed-loop client; a failure counts in {@code errors}, the first one kept in {@code firstError[0]}. */
    private interface Call {
        void call(HttpClient client, AtomicLong errors, String[] firstError);
    }

    private Result loadInProcess(int clients, Duration duration, Call request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Histogram histogram = new Histogram(60_000_000L, 3);
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        String[] firstError = new String[1];
        AtomicLong clientCpu = new AtomicLong();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        Instant from = Instant.now();
        long cpuBefore = os.getProcessCpuTime();
        long machineBefore = machineCpuNanos();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            futures.add(pool.submit(() -> {
                long threadCpu = threads.getCurrentThreadCpuTime();
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    request.call(client, errors, firstError);
                    synchronized (histogram) {
                        histogram.recordValue(Math.min(60_000_000L, (System.nanoTime() - t0) / 1000));
                    }
                    calls.incrementAndGet();
                }
                clientCpu.addAndGet(threads.getCurrentThreadCpuTime() - threadCpu);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        long elapsed = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long machine = machineBefore < 0 ? -1 : machineCpuNanos() - machineBefore;
        double load = os.getSystemLoadAverage();
        pool.shutdown();
        if (firstError[0] != null) {
            log("  (first error: " + firstError[0].substring(0, Math.min(300, firstError[0].length())) + ")");
        }
        return new Result(calls.get(), errors.get(), Duration.ofNanos(elapsed),
                          histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                          histogram.getMaxValue() / 1000.0, cpu, clientCpu.get(), machine, from, Instant.now(), load);
    }

    // -------------------------------------------------------------- segments

    private void segmentScenario() throws Exception {
        long contacts;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*) from contact")) {
                rs.next();
                contacts = rs.getLong(1);
            }
            if (contacts < options.rows()) {
                long start = System.nanoTime();
                s.execute("insert into contact (id, external_id, email, attributes, created_at, updated_at, version) "
                                  + "select gen_random_uuid(), 'g-' || g, 'gen' || g || '@example.com', jsonb_build_object("
                                  + "'plan', (array['free','pro','team','enterprise'])[1 + g % 4], 'age', 18 + g % 60, "
                                  + "'country', (array['FR','DE','US','GB','ES','IT'])[1 + g % 6], 'score', (g::bigint * 7919) % 1000, "
                                  + "'signup', to_char(date '2020-01-01' + (g % 1500), 'YYYY-MM-DD')), now(), now(), 0 "
                                  + "from generate_series(1, " + (options.rows() - contacts) + ") g");
                log("- generated " + (options.rows() - contacts) + " contacts in SQL in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            s.execute("update contact set consent = '{\"EMAIL\":{\"status\":\"UNSUBSCRIBED\"}}' "
                              + "where ('x' || substr(md5(id::text), 1, 8))::bit(32)::int % 20 = 0");
            long existing;
            try (ResultSet rs = s.executeQuery("select count(*) from tracked_event")) {
                rs.next();
                existing = rs.getLong(1);
            }
            long toMake = Math.max(0, options.trackedEvents() - existing);
            log("\n## Segments: " + options.rows() + " contacts, " + options.trackedEvents() + " tracked events ("
                        + toMake + " generated in SQL: " + EVENTS.length + " event names, times spread over 180 days)");
            long start = System.nanoTime();
            s.execute("create temp table cids as select row_number() over () as rn, id from contact");
            s.execute("create index on cids (rn)");
            String names = "array['" + String.join("','", EVENTS) + "']";
            long chunk = 1_000_000;
            for (long from = 0; from < toMake; from += chunk) {
                long n = Math.min(chunk, toMake - from);
                s.execute("insert into tracked_event (event_id, contact_id, event, occurred_at, properties) "
                                  + "select ('01800000-0000-7000-8000-' || lpad(to_hex(" + from + " + g::bigint), 12, '0'))::uuid, c.id, (" + names + ")[1 + (g::bigint * 31) % " + EVENTS.length + "], "
                                  + "now() - ((g::bigint * 7919) % (180 * 86400)) * interval '1 second', jsonb_build_object('amount', g % 500) "
                                  + "from generate_series(1, " + n + ") g join cids c on c.rn = 1 + ((" + from + " + g::bigint) * 48271) % "
                                  + options.rows());
            }
            s.execute("vacuum analyze contact");
            s.execute("vacuum analyze tracked_event");
            log("- generated in " + (System.nanoTime() - start) / 1_000_000_000 + " s (then VACUUM ANALYZE)");
        }
        String attributeRule = "{\"type\":\"and\",\"children\":[{\"type\":\"attribute\",\"attribute\":\"plan\",\"operator\":\"eq\",\"value\":\"pro\"},"
                + "{\"type\":\"attribute\",\"attribute\":\"country\",\"operator\":\"in\",\"value\":[\"FR\",\"DE\"]}]}";
        String rangeRule = "{\"type\":\"attribute\",\"attribute\":\"age\",\"operator\":\"gte\",\"value\":65}";
        String performed = "{\"type\":\"behaviour\",\"event\":\"Purchase\",\"operator\":\"at_least\",\"count\":3,\"withinLastDays\":30}";
        String notPerformed = "{\"type\":\"behaviour\",\"event\":\"Purchase\",\"operator\":\"not_performed\",\"withinLastDays\":30}";
        String combined = "{\"type\":\"and\",\"children\":[{\"type\":\"attribute\",\"attribute\":\"plan\",\"operator\":\"eq\",\"value\":\"pro\"},"
                + "{\"type\":\"consent\",\"channel\":\"EMAIL\",\"status\":\"SUBSCRIBED\"},"
                + "{\"type\":\"behaviour\",\"event\":\"Opened Email\",\"withinLastDays\":14},"
                + "{\"type\":\"not\",\"children\":[{\"type\":\"behaviour\",\"event\":\"Purchase\",\"withinLastDays\":60,"
                + "\"where\":[{\"property\":\"amount\",\"operator\":\"gt\",\"value\":100}]}]}]}";
        preview("attribute: plan = pro AND country in (FR, DE)", attributeRule, 300);
        preview("attribute: age >= 65 (range, no index)", rangeRule, 300);
        preview("behaviour: Purchase at least 3 times in the last 30 days", performed, 1000);
        preview("behaviour: did not perform Purchase in the last 30 days", notPerformed, 1000);
        preview("combined: pro AND email consent AND opened an email in 14 days AND NOT purchased > 100 in 60 days",
                combined, 1000);
        // the plans of the SQL the compiler produces for the attribute and the "did not perform" rules
        explain("attribute rule", "select count(*) from contact c where (c.attributes @> '{\"plan\":\"pro\"}'::jsonb) and "
                + "(c.attributes @> '{\"country\":\"FR\"}'::jsonb or c.attributes @> '{\"country\":\"DE\"}'::jsonb)");
        explain("range rule", "select count(*) from contact c where (c.attributes @? 'strict $.\"age\" ? (@ >= 65)'::jsonpath)");
        explain("did not perform", "with b1 as (select te.contact_id from tracked_event te where te.event = 'Purchase' "
                + "and te.contact_id is not null and te.occurred_at >= now() - interval '30 days' group by te.contact_id) "
                + "select count(*) from contact c left join b1 on b1.contact_id = c.id where (b1.contact_id is null)");
    }

    private void explain(String name, String sql) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("set local work_mem = '64MB'");
            log("\n```\n-- EXPLAIN ANALYZE, " + name + ":\n-- " + sql);
            try (ResultSet rs = s.executeQuery("explain (analyze, buffers off, costs off) " + sql)) {
                while (rs.next()) {
                    log(rs.getString(1));
                }
            }
            log("```");
            c.rollback();
        }
    }

    private void preview(String name, String rules, long targetMillis) throws Exception {
        String body = "{\"rules\":" + rules + "}";
        for (int i = 0; i < 3; i++) {
            send("POST", "/api/segments/preview", body, token); // warm
        }
        Histogram histogram = new Histogram(600_000_000L, 3);
        long count = -1;
        long dbMillis = 0;
        for (int i = 0; i < options.segmentRuns(); i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = send("POST", "/api/segments/preview", body, token);
            histogram.recordValue((System.nanoTime() - t0) / 1000);
            if (response.statusCode() != 200) {
                log("- " + name + ": HTTP " + response.statusCode() + " " + response.body());
                return;
            }
            JsonNode view = JSON.readTree(response.body());
            count = view.get("count").asLong();
            dbMillis += view.get("tookMillis").asLong();
        }
        double p95 = histogram.getValueAtPercentile(95) / 1000.0;
        log(String.format(Locale.ROOT, "- %s: **p95 %.0f ms** (p50 %.0f ms, target %d ms, %s), count %,d, over %d warm runs, HTTP included",
                          name, p95, histogram.getValueAtPercentile(50) / 1000.0, targetMillis,
                          p95 <= targetMillis ? "met" : "MISSED", count, options.segmentRuns()));
    }

    private void close() {
        if (herald != null) {
            herald.close();
        }
        if (!options.keep()) {
            try (Connection admin = DriverManager.getConnection(options.adminUrl()); Statement s = admin.createStatement()) {
                s.execute("drop database if exists " + database + " with (force)");
            } catch (Exception e) {
                System.out.println("could not drop " + database + ": " + e);
            }
        } else {
            System.out.println("kept database " + database);
        }
    }
}
