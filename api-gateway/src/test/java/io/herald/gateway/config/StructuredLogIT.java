package io.herald.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.eventstore.support.TestDatabases;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code HERALD_LOG_FORMAT} on a real start, in a JVM of its own (logging is global to a JVM). */
class StructuredLogIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Process start(Path log, String format, int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                java, "-Xmx512m", "-Daxoniq.update-checker.disabled=true", "-Daxoniq.update-check.disabled=true",
                "-cp", System.getProperty("java.class.path"), "io.herald.gateway.HeraldApplication",
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--herald.database.url=" + TestDatabases.newDatabase(),
                "--herald.data-dir=" + Files.createTempDirectory("herald-log-format"),
                "--herald.rate-limits.enabled=false"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HERALD_LOG_FORMAT", format);
        return builder.start();
    }

    @Test
    void json_writesEveryLogEventAsOneLineOfElasticCommonSchema() throws Exception {
        Path log = Files.createTempFile("herald-json", ".log");
        int port = freePort();
        Process herald = start(log, "json", port);
        try {
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
        } finally {
            herald.destroy();
            herald.waitFor(30, TimeUnit.SECONDS);
        }
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                events.add(JSON.readTree(line));
            } else {
                // the JVM's own warnings (not the application's log) are plain text on stderr
                assertThat(line).as("a line of the application's log that is not JSON").matches("(?s)^(WARNING|OpenJDK|$).*");
            }
        }
        assertThat(events).as("log events").hasSizeGreaterThan(3);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.path("@timestamp").asText()).isNotBlank();
            assertThat(event.path("log").path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(event.path("message").isMissingNode()).isFalse();
        });
        assertThat(events).anySatisfy(event -> assertThat(event.path("message").asText()).contains("Delivery worker"));
    }

    @Test
    void anUnknownFormat_stopsTheStart_namingTheSetting() throws Exception {
        Path log = Files.createTempFile("herald-yaml", ".log");
        Process herald = start(log, "yaml", freePort());
        assertThat(herald.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(herald.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("HERALD_LOG_FORMAT").contains("'yaml'");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
