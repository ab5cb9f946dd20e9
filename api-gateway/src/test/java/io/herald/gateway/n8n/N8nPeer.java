package io.herald.gateway.n8n;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real n8n (the npm package installed by {@code .ci/n8n/install.sh}) started headless on loopback, with the Herald
 * node package installed the way n8n installs community packages ({@code <user folder>/.n8n/nodes}), set up over its
 * REST API (owner, sign-in, an API key for its public API). Closing stops it.
 */
final class N8nPeer implements AutoCloseable {

    static final String OWNER_EMAIL = "owner@herald.test";
    static final String OWNER_PASSWORD = "Herald-e2e-Passw0rd";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final HttpClient http;
    private final String base;
    private final File log;
    private String apiKey;

    private N8nPeer(Process process, HttpClient http, String base, File log) {
        this.process = process;
        this.http = http;
        this.base = base;
        this.log = log;
    }

    /**
     * Installs {@code nodePackage} (an {@code npm pack} tarball) into a fresh user folder under {@code workDir} and
     * starts the n8n of {@code n8nHome} on {@code port} (its task broker on {@code brokerPort}).
     */
    static N8nPeer start(Path n8nHome, Path nodePackage, Path workDir, int port, int brokerPort) throws Exception {
        Path userFolder = workDir.resolve("user");
        Path nodes = userFolder.resolve(".n8n/nodes");
        Files.createDirectories(nodes);
        Files.writeString(nodes.resolve("package.json"), "{\"name\":\"installed-nodes\",\"private\":true}\n");
        // the package has no runtime dependencies; n8n-workflow, its peer, is n8n's own
        Process npm = new ProcessBuilder("npm", "install", "--offline", "--legacy-peer-deps", "--no-audit", "--no-fund",
                                         nodePackage.toAbsolutePath().toString())
                .directory(nodes.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("npm-install.log").toFile()).start();
        assertThat(npm.waitFor(2, TimeUnit.MINUTES)).as("npm install of the node package").isTrue();
        assertThat(npm.exitValue()).as("npm install of the node package, see " + workDir.resolve("npm-install.log"))
                .isZero();

        File log = workDir.resolve("n8n.log").toFile();
        ProcessBuilder builder = new ProcessBuilder(n8nHome.resolve("node_modules/.bin/n8n").toString(), "start")
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log);
        Map<String, String> env = builder.environment();
        env.put("N8N_USER_FOLDER", userFolder.toAbsolutePath().toString());
        env.put("N8N_PORT", String.valueOf(port));
        env.put("N8N_LISTEN_ADDRESS", "127.0.0.1");
        env.put("N8N_HOST", "127.0.0.1");
        env.put("N8N_PROTOCOL", "http");
        env.put("WEBHOOK_URL", "http://127.0.0.1:" + port + "/");
        env.put("N8N_RUNNERS_BROKER_PORT", String.valueOf(brokerPort));
        env.put("N8N_DIAGNOSTICS_ENABLED", "false");
        env.put("N8N_VERSION_NOTIFICATIONS_ENABLED", "false");
        env.put("N8N_TEMPLATES_ENABLED", "false");
        env.put("N8N_PERSONALIZATION_ENABLED", "false");
        env.put("N8N_HIRING_BANNER_ENABLED", "false");
        env.put("N8N_SECURE_COOKIE", "false");
        env.put("N8N_ENCRYPTION_KEY", "herald-e2e-" + port);
        // the job-failure alert's Code node verifies Herald's signature with node's crypto (n8n-workflows/README.md)
        env.put("NODE_FUNCTION_ALLOW_BUILTIN", "crypto");
        env.put("GENERIC_TIMEZONE", "Europe/Paris");
        Process process = builder.start();
        // HTTP/1.1: n8n does not take the h2c upgrade Java's client offers on plain http
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5)).build();
        N8nPeer peer = new N8nPeer(process, http, "http://127.0.0.1:" + port, log);
        try {
            peer.setUp();
        } catch (Throwable e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private void setUp() {
        // While it starts, n8n answers 200 "n8n is starting up. Please wait" to everything, then 404 until its REST
        // routes are mounted: a step has worked when its answer is 200 with JSON.
        await("n8n to start and its owner to be set up, see " + log).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                    assertThat(process.isAlive()).as("n8n died, see " + log).isTrue();
                    return isJson(rest("POST", "/rest/owner/setup", Map.of(
                            "email", OWNER_EMAIL, "firstName", "Herald", "lastName", "CI", "password", OWNER_PASSWORD)));
                });
        var login = rest("POST", "/rest/login", Map.of("emailOrLdapLoginId", OWNER_EMAIL, "password", OWNER_PASSWORD));
        assertThat(isJson(login)).as(login.body()).isTrue();
        JsonNode scopes = json(rest("GET", "/rest/api-keys/scopes", null)).get("data");
        var key = rest("POST", "/rest/api-keys", Map.of("label", "herald-e2e", "scopes", scopes,
                                                         "expiresAt", JSON.nullNode()));
        assertThat(key.statusCode()).as(key.body()).isEqualTo(200);
        apiKey = json(key).get("data").get("rawApiKey").asText();
    }

    private static boolean isJson(HttpResponse<String> response) {
        return response.statusCode() == 200 && response.body().startsWith("{");
    }

    String base() {
        return base;
    }

    /** A call to n8n's internal REST API with the owner's session cookie. */
    HttpResponse<String> rest(String method, String path, Object body) {
        return send(method, path, body, Map.of("browser-id", "herald-e2e"));
    }

    /** A call to n8n's public API ({@code /api/v1}) with the API key. */
    HttpResponse<String> api(String method, String path, Object body) {
        return send(method, "/api/v1" + path, body, Map.of("X-N8N-API-KEY", apiKey));
    }

    /** A request to one of n8n's webhook URLs, as the test builds it. */
    HttpResponse<String> post(String url, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return call(request);
    }

    private HttpResponse<String> send(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        headers.forEach(request::header);
        return call(request);
    }

    private HttpResponse<String> call(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON (" + response.statusCode() + " " + response.uri() + "): "
                                                    + response.body(), e);
        }
    }

    /** A credential through the public API; its id. */
    String credential(String name, String type, Map<String, Object> data) {
        var created = api("POST", "/credentials", Map.of("name", name, "type", type, "data", data));
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        return json(created).get("id").asText();
    }

    /**
     * A workflow through the public API from an exported workflow (what {@code n8n import:workflow} reads), with only
     * the fields the public API takes; its id.
     */
    String workflow(JsonNode exported) {
        ObjectNode body = JSON.createObjectNode();
        for (String field : List.of("name", "nodes", "connections", "settings")) {
            body.set(field, exported.get(field));
        }
        var created = api("POST", "/workflows", body);
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        return json(created).get("id").asText();
    }

    void activate(String workflowId) {
        var activated = api("POST", "/workflows/" + workflowId + "/activate", null);
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
    }

    void deactivate(String workflowId) {
        var deactivated = api("POST", "/workflows/" + workflowId + "/deactivate", null);
        assertThat(deactivated.statusCode()).as(deactivated.body()).isEqualTo(200);
    }

    /** Runs a workflow once from {@code trigger}, as the editor's "Execute workflow" does; the execution's id. */
    String runOnce(String workflowId, String trigger) {
        JsonNode workflow = json(api("GET", "/workflows/" + workflowId, null));
        var run = rest("POST", "/rest/workflows/" + workflowId + "/run",
                       Map.of("workflowData", workflow, "triggerToStartFrom", Map.of("name", trigger)));
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        return json(run).get("data").get("executionId").asText();
    }

    /** The workflow's executions, newest first, with their data. */
    List<JsonNode> executions(String workflowId) {
        var listed = api("GET", "/executions?includeData=true&workflowId=" + workflowId, null);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        List<JsonNode> executions = new ArrayList<>();
        json(listed).get("data").forEach(executions::add);
        return executions;
    }

    JsonNode execution(String executionId) {
        var found = api("GET", "/executions/" + executionId + "?includeData=true", null);
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        return json(found);
    }

    File log() {
        return log;
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        // n8n's task runner is its child: gone with it, or killed here
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
