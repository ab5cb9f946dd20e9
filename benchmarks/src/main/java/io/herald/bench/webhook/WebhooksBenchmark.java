package io.herald.bench.webhook;

import com.sun.net.httpserver.HttpServer;
import io.herald.api.campaign.Channel;
import io.herald.api.contact.Consent;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactProfile;
import io.herald.api.webhook.CreateWebhookSubscriptionCommand;
import io.herald.api.webhook.IssueWebhookSecretCommand;
import io.herald.api.webhook.WebhookEventTypes;
import io.herald.api.webhook.WebhookSubscriptionDefinition;
import io.herald.bench.ScenarioRun;
import io.herald.gateway.HeraldApplication;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Outgoing webhooks, end to end (issue 17: at least 2,000 messages/s to one local sink):
 * {@code benchmarks/run.sh --scenario webhooks [--events N] [--pg-admin-url URL] [--keep-databases] [--set k=v ...]}.
 * <ul>
 *   <li>{@code sink ceiling} (the yardstick, same run, same sink): a plain JDK {@code HttpClient} (HTTP/1.1,
 *       keep-alive) POSTs N bodies of the same shape and size to the sink, 8 at a time, then 16 at a time (the
 *       sender's default per-subscription concurrency), after a warm-up of 5,000.</li>
 *   <li>{@code herald}: Herald booted in this JVM on a fresh database, one subscription to
 *       {@code contact.created} pointing at the sink (loopback: private targets allowed), then N
 *       {@code ContactCreatedEvent}s stored in chunks of 1,000 (the events an import or the identify path store; the
 *       other processors handle them too, as they would). Reported: messages per second from the first event stored
 *       to the last message received (distinct {@code webhook-id}s), the moment the feed had queued the last one,
 *       and the load average before and after.</li>
 * </ul>
 * The sink is a JDK {@code HttpServer} on 127.0.0.1 answering 200 with no body at once, on virtual threads.
 */
public final class WebhooksBenchmark {

    public static boolean wants(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--scenario") && args[i + 1].equals("webhooks")) {
                return true;
            }
        }
        return false;
    }

    private final String adminUrl;
    private final int events;
    private final boolean keep;
    private final List<String> settings;
    private ScenarioRun run;

    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong lastReceivedNanos = new AtomicLong();
    private HttpServer sink;

    private WebhooksBenchmark(String adminUrl, int events, boolean keep, List<String> settings) {
        this.adminUrl = adminUrl;
        this.events = events;
        this.keep = keep;
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        String adminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        int events = 20_000;
        boolean keep = false;
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scenario" -> i++;
                case "--pg-admin-url" -> adminUrl = args[++i];
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--keep-databases" -> keep = true;
                case "--set" -> settings.add("--" + args[++i]); // e.g. --set herald.webhooks.batch-size=200
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("axoniq.update-check.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        new WebhooksBenchmark(adminUrl, events, keep, settings).run(args);
        System.exit(0);
    }

    private void run(String[] args) throws Exception {
        sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        sink.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        sink.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (id != null) {
                received.add(id);
            }
            requests.incrementAndGet();
            lastReceivedNanos.set(System.nanoTime());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.start();
        try (ScenarioRun run = new ScenarioRun("webhooks", adminUrl, keep, args,
                                               "; " + events + " events; settings " + settings)) {
            this.run = run;
            post(16, Math.min(events, 5_000), "warmup"); // the client's and the sink's code paths compiled first
            yardstick(8);
            yardstick(16);
            herald();
            run.write();
        } finally {
            sink.stop(0);
        }
    }

    private String sinkUrl() {
        return "http://127.0.0.1:" + sink.getAddress().getPort() + "/hook";
    }

    // --- the yardstick: the sink's own ceiling with a plain client ----------------------------------------

    private void yardstick(int concurrency) throws Exception {
        String load = loadAverage();
        received.clear();
        long started = System.nanoTime();
        post(concurrency, events, "yardstick");
        double seconds = (System.nanoTime() - started) / 1e9;
        run.line("sink ceiling, " + concurrency + " in flight", String.format(
                "%,d POSTs of a %d-byte body (plain JDK HttpClient, HTTP/1.1) in %.2f s: **%,.0f/s**; %,d distinct "
                        + "ids received; load average before %s, after %s",
                events, sampleBody().length(), seconds, events / seconds, received.size(), load, loadAverage()));
    }

    private void post(int concurrency, int count, String prefix) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        URI uri = URI.create(sinkUrl());
        String body = sampleBody();
        Semaphore slots = new Semaphore(concurrency);
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                slots.acquireUninterruptibly();
                String id = "msg_" + prefix + "_" + concurrency + "_" + i;
                futures.add(each.submit(() -> {
                    try {
                        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json").header("webhook-id", id)
                                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
                        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<Integer> f : futures) {
                if (f.get() != 200) {
                    throw new IllegalStateException("The sink answered " + f.get());
                }
            }
        }
        client.close();
    }

    /** A body of the size Herald sends for a contact.created (type, timestamp, the contact's data). */
    private static String sampleBody() {
        String contact = UUID.randomUUID().toString();
        return "{\"type\":\"contact.created\",\"timestamp\":\"" + Instant.now() + "\",\"data\":{\"contactId\":\""
                + contact + "\",\"externalId\":\"ext-1\",\"email\":\"someone-1@example.test\",\"phone\":null,"
                + "\"timeZone\":\"Europe/Paris\",\"locale\":\"fr\",\"attributes\":{\"plan\":\"pro\"},"
                + "\"source\":\"import\"}}";
    }

    // --- Herald ------------------------------------------------------------------------------------------

    private void herald() throws Exception {
        String url = run.newDatabase();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0", "--server.address=127.0.0.1",
                "--herald.database.url=" + url,
                "--herald.data-dir=" + Files.createTempDirectory("herald-bench-webhooks"),
                "--herald.delivery.worker.enabled=false",
                "--herald.delivery.allow-private-targets=true",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
        args.addAll(settings);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HeraldApplication.class)
                .web(WebApplicationType.SERVLET).logStartupInfo(false).registerShutdownHook(false)
                .run(args.toArray(String[]::new))) {
            CommandGateway commands = context.getBean(CommandGateway.class);
            EventGateway eventGateway = context.getBean(EventGateway.class);
            String subscription = UUID.randomUUID().toString();
            commands.sendAndWait(new CreateWebhookSubscriptionCommand(subscription, new WebhookSubscriptionDefinition(
                    sinkUrl(), List.of(WebhookEventTypes.CONTACT_CREATED), "bench sink", true, null), null));
            commands.sendAndWait(new IssueWebhookSecretCommand(subscription));
            awaitRows(url, "select count(*) from webhook_endpoint", 1, Duration.ofSeconds(60));

            received.clear();
            requests.set(0);
            String loadBefore = loadAverage();
            AtomicLong queuedAt = new AtomicLong();
            Thread watcher = Thread.ofVirtual().start(() -> {
                try {
                    awaitRows(url, "select count(*) from webhook_message", events, Duration.ofMinutes(30));
                    queuedAt.set(System.nanoTime());
                } catch (Exception e) {
                    // reported as "not seen" below
                }
            });
            long started = System.nanoTime();
            Instant now = Instant.now();
            for (int from = 0; from < events; from += 1_000) {
                List<Object> chunk = new ArrayList<>(1_000);
                for (int i = from; i < Math.min(events, from + 1_000); i++) {
                    chunk.add(new ContactCreatedEvent(UUID.randomUUID().toString(),
                            new ContactProfile("ext-" + i, "someone-" + i + "@example.test", null, "Europe/Paris", "fr"),
                            Map.of("plan", "pro"),
                            Map.of(Channel.EMAIL, new Consent(ConsentStatus.SUBSCRIBED, now, null, "import")),
                            "import"));
                }
                eventGateway.publish(chunk);
            }
            double stored = (System.nanoTime() - started) / 1e9;
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (received.size() < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Only " + received.size() + " of " + events + " messages arrived");
                }
                Thread.sleep(10);
            }
            double seconds = (lastReceivedNanos.get() - started) / 1e9;
            watcher.join(Duration.ofSeconds(5));
            awaitRows(url, "select count(*) from webhook_attempt", events, Duration.ofSeconds(30)); // last batch recorded
            double queued = queuedAt.get() == 0 ? Double.NaN : (queuedAt.get() - started) / 1e9;
            run.line("herald, 1 subscription", String.format(
                    "%,d contact.created events stored in %.2f s; the feed had queued the last message after %.2f s "
                            + "(%,.0f/s); the last of %,d messages received after %.2f s: **%,.0f webhook messages/s** "
                            + "(%,d requests, %,d distinct webhook-ids); load average before %s, after %s; %s",
                    events, stored, queued, events / queued, events, seconds, events / seconds, requests.get(),
                    received.size(), loadBefore, loadAverage(), attempts(url)));
        }
    }

    private static void awaitRows(String url, String sql, long wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    if (rs.getLong(1) >= wanted) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Timed out waiting for " + sql + " to reach " + wanted);
                }
                Thread.sleep(20);
            }
        }
    }

    private static String attempts(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) filter (where status = 'SUCCEEDED'), count(*) "
                                                   + "from webhook_attempt")) {
            rs.next();
            return String.format("webhook_attempt: %,d succeeded of %,d", rs.getLong(1), rs.getLong(2));
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
