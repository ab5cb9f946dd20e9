package io.herald.gateway.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.delivery.WebhookSink;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code HERALD_LOG_FORMAT=json} with tracing on, in a JVM of its own (logging is global to a JVM): the log line
 * the delivery worker writes for a launched campaign carries the launch request's trace id, a span id, its
 * correlation id and the actor as fields.
 */
class JsonLogTraceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void json_logLinesCarryTraceIdSpanIdCorrelationIdAndActor() throws Exception {
        Path log = Files.createTempFile("herald-json-trace", ".log");
        int port = freePort();
        try (OtlpReceiver receiver = new OtlpReceiver(); WebhookSink sink = new WebhookSink()) {
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    java, "-Xmx512m", "-Daxoniq.update-check.disabled=true",
                    "-cp", System.getProperty("java.class.path"), "io.herald.gateway.HeraldApplication",
                    "--server.port=" + port, "--server.address=127.0.0.1",
                    "--herald.database.url=" + TestDatabases.newDatabase(),
                    "--herald.data-dir=" + Files.createTempDirectory("herald-json-trace"),
                    "--herald.rate-limits.enabled=false", "--herald.delivery.allow-private-targets=true",
                    "--herald.delivery.worker.poll-interval=100ms"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("HERALD_LOG_FORMAT", "json");
            builder.environment().put("HERALD_OTLP_ENDPOINT", receiver.baseUrl() + "/v1/traces");
            builder.environment().put("HERALD_TRACE_SAMPLING", "1");
            Process herald = builder.start();
            String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
            String correlationId = "json-log-" + UUID.randomUUID().toString().substring(0, 8);
            try {
                awaitUp(herald, port, log);
                ApiClient api = TestAuth.asAdmin(new ApiClient(port));
                String k = UUID.randomUUID().toString().substring(0, 8);
                assertThat(api.post("/api/contacts", "{\"email\":\"json-" + k + "@example.com\",\"attributes\":"
                        + "{\"audience\":\"json-" + k + "\"}}").status()).isEqualTo(201);
                String segment = CampaignApiITSupport.segment(api, "json-" + k);
                var campaign = api.post("/api/campaigns", "{\"name\":\"Json " + k + "\",\"channel\":\"WEBHOOK\","
                        + "\"content\":{\"url\":\"" + sink.url("/hooks/" + k) + "\",\"payload\":\"{}\"},"
                        + "\"segmentId\":\"" + segment + "\"}");
                assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
                String id = campaign.json().get("id").asText();
                var launched = api.send("POST", "/api/campaigns/" + id + "/launch", null, "application/json",
                        Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01", "X-Correlation-Id", correlationId));
                assertThat(launched.status()).as(launched.toString()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(60)).until(() -> events(log).stream()
                        .anyMatch(e -> e.path("message").asText().contains(id + ": audience frozen")));
            } finally {
                herald.destroy();
                herald.waitFor(30, TimeUnit.SECONDS);
            }
            JsonNode frozen = events(log).stream()
                    .filter(e -> e.path("message").asText().contains("audience frozen")).findFirst().orElseThrow();
            assertThat(frozen.path("traceId").asText()).as(frozen.toString()).isEqualTo(traceId);
            assertThat(frozen.path("spanId").asText()).as(frozen.toString()).matches("[0-9a-f]{16}");
            assertThat(frozen.path("correlationId").asText()).as(frozen.toString()).isEqualTo(correlationId);
            assertThat(frozen.path("actor").asText()).as(frozen.toString()).isEqualTo("system:delivery");
        }
    }

    private static List<JsonNode> events(Path log) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    private static void awaitUp(Process herald, int port, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        boolean up = false;
        while (!up && System.nanoTime() < deadline && herald.isAlive()) {
            try {
                up = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                         .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        assertThat(up).as(Files.readString(log)).isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
