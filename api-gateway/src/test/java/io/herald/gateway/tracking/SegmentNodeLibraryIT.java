package io.herald.gateway.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Segment's own Node library ({@code @segment/analytics-node}, pinned by the lock file of
 * {@code src/test/node/segment-node}), unchanged but for its host, sends identify, track, page,
 * screen, group and alias to a running Herald ({@code send.mjs}); what it sent is then read back
 * through Herald's REST API. Needs Node 20+ and npm: without them the test is skipped, and says so.
 */
class SegmentNodeLibraryIT extends IntegrationTest {

    private static final Path PROJECT = Path.of("src", "test", "node", "segment-node");

    @LocalServerPort
    int port;

    /** Skips the test (counted as skipped, with the reason) without Node 20+ and npm; else installs the library. */
    private static void installLibrary() throws Exception {
        String node = version("node");
        if (node == null || !node.matches("v(2\\d|[3-9]\\d)\\..*") || version("npm") == null) {
            String message = "[segment-node] Node.js 20+ and npm not found (node: " + node
                    + "): Segment's Node library is NOT tested against Herald";
            System.out.println(message);
            Assumptions.assumeTrue(false, message);
        }
        Path installed = PROJECT.resolve("node_modules").resolve(".package-lock.json");
        if (!Files.exists(installed) || Files.getLastModifiedTime(PROJECT.resolve("package-lock.json"))
                .compareTo(Files.getLastModifiedTime(installed)) > 0) {
            Result install = run(Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
            assertThat(install.exitCode()).as("npm ci in %s:%n%s", PROJECT, install.output()).isZero();
        }
    }

    private static String version(String tool) {
        try {
            Result result = run(Duration.ofSeconds(30), tool, "--version");
            return result.exitCode() == 0 ? result.output().strip() : null;
        } catch (IOException e) {
            return null; // not installed
        }
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(Duration timeout, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            // the output is small (one JSON line, or npm's summary): read it all, then the exit code
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout);
            }
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void nodeLibrary_deliversEveryKindOfCall() throws Exception {
        installLibrary();
        ApiClient api = TestAuth.asAdmin(new ApiClient(port));
        String writeKey = TestAuth.apiKey(new ApiClient(port), "events:write");
        String user = "node-lib-" + UUID.randomUUID().toString().substring(0, 8);

        Result sent = run(Duration.ofMinutes(2), "node", "send.mjs", "http://127.0.0.1:" + port, writeKey, user);
        assertThat(sent.exitCode()).as(sent.output()).isZero();
        String[] lines = sent.output().strip().split("\n");
        JsonNode report = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(report.get("failed")).as(sent.output()).isEmpty();
        assertThat(report.get("delivered").asInt()).as(sent.output()).isEqualTo(7);
        for (JsonNode request : report.get("requests")) {
            assertThat(request.get("path").asText()).isEqualTo("/v1/batch");
            assertThat(request.get("authorization").asText()).isEqualTo("Basic");
        }
        for (JsonNode status : report.get("statuses")) {
            assertThat(status.asInt()).as(sent.output()).isEqualTo(200);
        }

        String contactId = SegmentLibraryLanding.contactLanded(api, user, "Grace", "Nantes");
        SegmentLibraryLanding.timelineLanded(api, contactId);
    }
}
