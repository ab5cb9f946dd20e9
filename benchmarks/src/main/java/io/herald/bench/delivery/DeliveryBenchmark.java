package io.herald.bench.delivery;

import io.herald.bench.ScenarioRun;
import io.herald.bench.WebhookSink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delivery scenarios (issue "Delivery"): {@code benchmarks/run.sh --scenario delivery [options]}.
 * Herald runs as a separate process ({@code -Xmx512m}, GC log) on a fresh database of the local
 * PostgreSQL; this JVM plays the receivers and measures.
 * <ul>
 *   <li>{@code baseline}: the raw rate at which the local webhook sink accepts the same requests
 *       (same body size and headers) from a plain load generator (Java HttpClient, 32 at once);</li>
 *   <li>{@code webhook}: a campaign to {@code --recipients} contacts (default 100,000), launch → COMPLETED,
 *       checked at the sink (every key once);</li>
 *   <li>{@code email}: a campaign to {@code --email-recipients} contacts over SMTP to GreenMail;</li>
 *   <li>{@code million}: a webhook campaign to {@code --million} contacts (default 1,000,000) with the heap
 *       capped at 512 MiB: completion, rate, and the heap after each GC (flat or not).</li>
 * </ul>
 * Contacts are written straight into the contact read model (the import has its own benchmark).
 */
public final class DeliveryBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static boolean wants(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--scenario") && args[i + 1].equals("delivery")) {
                return true;
            }
        }
        return false;
    }

    record Options(String adminUrl, List<String> parts, int recipients, int emailRecipients, int million,
                   List<String> set, boolean keepDatabases) {
        static Options parse(String[] args) {
            String adminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
            List<String> parts = List.of("baseline", "webhook", "email", "million");
            int recipients = 100_000;
            int email = 20_000;
            int million = 1_000_000;
            List<String> set = new ArrayList<>();
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--pg-admin-url" -> adminUrl = args[++i];
                    case "--parts" -> parts = Arrays.asList(args[++i].split(","));
                    case "--recipients" -> recipients = Integer.parseInt(args[++i]);
                    case "--email-recipients" -> email = Integer.parseInt(args[++i]);
                    case "--million" -> million = Integer.parseInt(args[++i]);
                    case "--set" -> set.add(args[++i]);
                    case "--keep-databases" -> keep = true;
                    default -> { }
                }
            }
            return new Options(adminUrl, parts, recipients, email, million, set, keep);
        }
    }

    private final Options options;
    private ScenarioRun runRecord;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private WebhookSink sink;

    private DeliveryBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        new DeliveryBenchmark(Options.parse(args)).run(args);
        System.exit(0);
    }

    private void run(String[] args) throws Exception {
        try (ScenarioRun run = new ScenarioRun("delivery", options.adminUrl(), options.keepDatabases(), args,
                                               "; Herald in its own JVM with -Xmx512m")) {
            runRecord = run;
            sink = new WebhookSink();
            try {
                if (options.parts().contains("baseline")) {
                    baseline(options.recipients());
                }
                if (options.parts().contains("webhook")) {
                    webhook("webhook", options.recipients());
                }
                if (options.parts().contains("email")) {
                    email(options.emailRecipients());
                }
                if (options.parts().contains("million")) {
                    webhook("million", options.million());
                }
            } finally {
                sink.close();
            }
            run.write();
        }
    }

    /** The same request as a Herald webhook (body ~120 bytes, the same headers), from a plain load generator. */
    private void baseline(int requests) throws Exception {
        WebhookSink.RawRate raw = sink.rawRate(requests, 32);
        line("baseline", String.format("the sink accepts %,d webhook requests from a plain load generator (32 at once) "
                                               + "in %.1f s: **%,.0f requests/s** (%d resent after a closed connection)",
                                       raw.requests(), raw.seconds(), raw.perSecond(), raw.resent()));
    }

    private void webhook(String name, int recipients) throws Exception {
        String database = newDatabase();
        try (Herald herald = Herald.start(database, "webhook-" + name, options.set(), List.of())) {
            String token = signIn(herald.port);
            String audience = seed(database, recipients);
            String segment = post(herald.port, token, "/api/segments", "{\"name\":\"Bench\",\"rules\":{\"type\":\"attribute\","
                    + "\"attribute\":\"audience\",\"operator\":\"eq\",\"value\":\"" + audience + "\"}}").get("id").asText();
            String path = "/" + name + "/" + audience;
            String campaign = post(herald.port, token, "/api/campaigns", "{\"name\":\"Bench\",\"channel\":\"WEBHOOK\","
                    + "\"content\":{\"url\":\"" + sink.url(path) + "\",\"payload\":\"{\\\"hello\\\":\\\"{{ first_name }}\\\","
                    + "\\\"id\\\":\\\"{{ id }}\\\",\\\"campaign\\\":\\\"{{ campaign.id }}\\\"}\"},\"segmentId\":\"" + segment
                    + "\"}").get("id").asText();
            long started = System.nanoTime();
            long cpuBefore = herald.cpuNanos();
            post(herald.port, token, "/api/campaigns/" + campaign + "/launch", null);
            JsonNode progress = awaitCompleted(herald, token, campaign, Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - started) / 1e9;
            long cpu = herald.cpuNanos() - cpuBefore;
            long keys = sink.keys(path);
            long requests = sink.count(path);
            line(name, String.format("webhook campaign to %,d recipients, launch → COMPLETED in %.1f s: **%,.0f recipients/s**; "
                                             + "Herald's CPU %.1f µs per recipient; "
                                             + "sent %d, failed %d, unknown %d; sink: %,d requests, %,d distinct keys; %s",
                                     recipients, seconds, recipients / seconds, cpu / 1e3 / recipients,
                                     progress.get("sent").asLong(),
                                     progress.get("failed").asLong(), progress.get("unknown").asLong(), requests, keys,
                                     herald.heapSummary()));
        }
    }

    private void email(int recipients) throws Exception {
        GreenMail mail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        // every message into one mailbox: GreenMail finds a recipient's mailbox by a linear search over all of
        // them, so with a mailbox per address the sink itself slowed down with every new recipient (quadratic
        // over a run) and the figure measured GreenMail rather than the sender
        var sink = mail.getUserManager().createUser("sink@bench.test", "sink", "sink");
        mail.getUserManager().setMessageDeliveryHandler((message, address) -> sink);
        String database = newDatabase();
        try (Herald herald = Herald.start(database, "email", options.set(),
                                          List.of("spring.mail.host=127.0.0.1",
                                                  "spring.mail.port=" + mail.getSmtp().getPort()))) {
            String token = signIn(herald.port);
            String audience = seed(database, recipients);
            String segment = post(herald.port, token, "/api/segments", "{\"name\":\"Bench\",\"rules\":{\"type\":\"attribute\","
                    + "\"attribute\":\"audience\",\"operator\":\"eq\",\"value\":\"" + audience + "\"}}").get("id").asText();
            String campaign = post(herald.port, token, "/api/campaigns", "{\"name\":\"Bench mail\",\"channel\":\"EMAIL\","
                    + "\"content\":{\"subject\":\"Hello {{ first_name }}\",\"body\":\"Hi {{ first_name }}, news for {{ email }}\","
                    + "\"html\":\"<p>Hi {{ first_name }}</p><p><a href=\\\"{{ unsubscribe_url }}\\\">Unsubscribe</a></p>\"},"
                    + "\"segmentId\":\"" + segment + "\"}").get("id").asText();
            emailBaseline(mail, recipients);
            long started = System.nanoTime();
            post(herald.port, token, "/api/campaigns/" + campaign + "/launch", null);
            JsonNode progress = awaitCompleted(herald, token, campaign, Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - started) / 1e9;
            line("email", String.format("e-mail campaign to %,d recipients over SMTP to GreenMail, launch → COMPLETED in %.1f s: "
                                                + "**%,.0f recipients/s**; sent %d, failed %d, unknown %d; GreenMail received %,d; %s",
                                        recipients, seconds, recipients / seconds, progress.get("sent").asLong(),
                                        progress.get("failed").asLong(), progress.get("unknown").asLong(),
                                        mail.getReceivedMessages().length, herald.heapSummary()));
        } finally {
            mail.stop();
        }
    }

    /** Plain Spring Mail to the same GreenMail: 8 connections, 50 multipart messages each time. */
    private void emailBaseline(GreenMail mail, int messages) throws Exception {
        org.springframework.mail.javamail.JavaMailSenderImpl sender = new org.springframework.mail.javamail.JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(mail.getSmtp().getPort());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicLong next = new AtomicLong();
        long started = System.nanoTime();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                long first;
                while ((first = next.getAndAdd(50)) < messages) {
                    List<jakarta.mail.internet.MimeMessage> batch = new ArrayList<>();
                    for (long i = first; i < Math.min(messages, first + 50); i++) {
                        jakarta.mail.internet.MimeMessage mime = sender.createMimeMessage();
                        var helper = new org.springframework.mail.javamail.MimeMessageHelper(mime, true, "UTF-8");
                        helper.setFrom("herald@localhost");
                        helper.setTo("b" + i + "@bench.test");
                        helper.setSubject("Hello N" + i);
                        helper.setText("Hi N" + i + ", news for b" + i + "@bench.test",
                                       "<p>Hi N" + i + "</p><p><a href=\"http://localhost/unsubscribe/x\">Unsubscribe</a></p>");
                        batch.add(mime);
                    }
                    sender.send(batch.toArray(jakarta.mail.internet.MimeMessage[]::new));
                }
                return null;
            }));
        }
        for (var f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        line("email-baseline", String.format("plain Spring Mail sends %,d multipart messages to the same GreenMail "
                                                     + "(8 connections, 50 messages each) in %.1f s: **%,.0f messages/s**",
                                             messages, seconds, messages / seconds));
    }

    private JsonNode awaitCompleted(Herald herald, String token, String campaign, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode view = get(herald.port, token, "/api/campaigns/" + campaign);
            if ("COMPLETED".equals(view.path("status").asText())) {
                return get(herald.port, token, "/api/campaigns/" + campaign + "/progress");
            }
            if (!herald.process.isAlive()) {
                throw new IllegalStateException("Herald died, see " + herald.log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not COMPLETED within " + timeout + ": "
                                                + get(herald.port, token, "/api/campaigns/" + campaign + "/progress"));
    }

    // --- data ---------------------------------------------------------------------------------

    private String newDatabase() throws Exception {
        return runRecord.newDatabase();
    }

    /** Contacts straight into the contact read model, in one statement. */
    private static String seed(String database, int count) throws Exception {
        String audience = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection(database); Statement s = c.createStatement()) {
            s.execute("insert into contact (id, email, attributes, consent, created_at, updated_at, version) "
                              + "select gen_random_uuid(), 'r' || g || '@bench.test', jsonb_build_object('audience', '"
                              + audience + "', 'first_name', 'N' || g), '{}'::jsonb, now(), now(), 0 "
                              + "from generate_series(1, " + count + ") g");
            s.execute("analyze contact");
        }
        return audience;
    }

    // --- HTTP -----------------------------------------------------------------------------------

    private String signIn(int port) throws Exception {
        String email = "operator@herald.test";
        String password = "Pw-" + UUID.randomUUID();
        send(port, null, "POST", "/api/auth/register", JSON.writeValueAsString(
                Map.of("email", email, "password", password, "displayName", "Benchmark")));
        JsonNode session = send(port, null, "POST", "/api/auth/login",
                                JSON.writeValueAsString(Map.of("email", email, "password", password)));
        return session.get("accessToken").asText();
    }

    private JsonNode post(int port, String token, String path, String body) throws Exception {
        return send(port, token, "POST", path, body);
    }

    private JsonNode get(int port, String token, String path) throws Exception {
        return send(port, token, "GET", path, null);
    }

    private JsonNode send(int port, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private void line(String part, String text) {
        runRecord.line(part, text);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Herald in its own JVM, heap capped at 512 MiB, with a GC log. */
    private static final class Herald implements AutoCloseable {
        final Process process;
        final int port;
        final Path log;
        final Path gcLog;

        /** CPU time (user + system) Herald's JVM has used so far. */
        long cpuNanos() {
            return process.toHandle().info().totalCpuDuration().map(Duration::toNanos)
                    .orElseThrow(() -> new IllegalStateException("the process's CPU time cannot be read here"));
        }

        private Herald(Process process, int port, Path log, Path gcLog) {
            this.process = process;
            this.port = port;
            this.log = log;
            this.gcLog = gcLog;
        }

        static Herald start(String database, String name, List<String> set, List<String> extra) throws Exception {
            int port = freePort();
            Path dir = Files.createDirectories(Path.of("benchmarks/target/delivery-logs"));
            Path log = dir.resolve(name + ".log");
            Path gcLog = dir.resolve(name + "-gc.log");
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-Xlog:gc:file=" + gcLog,
                    "-Daxoniq.update-checker.disabled=true", "-Daxoniq.update-check.disabled=true",
                    "-cp", System.getProperty("java.class.path"), "io.herald.gateway.HeraldApplication",
                    "--herald.database.url=" + database, "--server.port=" + port, "--server.address=127.0.0.1",
                    "--herald.data-dir=" + Files.createTempDirectory("herald-bench-data"),
                    "--herald.rate-limits.enabled=false", "--herald.delivery.allow-private-targets=true",
                    "--logging.level.root=WARN", "--logging.level.io.herald=INFO"));
            extra.forEach(p -> command.add("--" + p));
            set.forEach(p -> command.add("--" + p));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Herald did not start, see " + log);
                }
                try {
                    int status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                                                               + "/actuator/health")).build(),
                                             HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status < 500) {
                        break;
                    }
                } catch (IOException e) {
                    // not yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Herald did not answer within 3 minutes, see " + log);
                }
                Thread.sleep(500);
            }
            return new Herald(process, port, log, gcLog);
        }

        /** Heap after GC from the log: max, and the average of the first and last fifth (flat or growing). */
        String heapSummary() throws IOException {
            Pattern after = Pattern.compile("->(\\d+)M\\(");
            List<Integer> values = new ArrayList<>();
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = after.matcher(line);
                if (m.find() && line.contains("Pause")) {
                    values.add(Integer.parseInt(m.group(1)));
                }
            }
            if (values.isEmpty()) {
                return "heap: no GC";
            }
            int fifth = Math.max(1, values.size() / 5);
            double first = values.subList(0, fifth).stream().mapToInt(Integer::intValue).average().orElse(0);
            double last = values.subList(values.size() - fifth, values.size()).stream().mapToInt(Integer::intValue)
                    .average().orElse(0);
            int max = values.stream().mapToInt(Integer::intValue).max().orElse(0);
            return String.format("heap (-Xmx512m) after GC: max %d MiB, first fifth %.0f MiB, last fifth %.0f MiB, %d GCs",
                                 max, first, last, values.size());
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
