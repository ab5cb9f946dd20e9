package io.herald.gateway.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Segment's HTTP Tracking API as Segment serves it: every path with and without a trailing slash
 * ({@code /v1/import} too), the write key as the Basic username or in the body, gzip bodies limited
 * by their decompressed size, and {@code group} kept on the contact.
 */
class SegmentHttpApiIT extends IntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    ApiClient api;
    String writeKey;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
        writeKey = TestAuth.apiKey(new ApiClient(port), "events:write");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> basic(String key) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(plain);
        }
        return out.toByteArray();
    }

    /** A JSON object padded with {@code padding} spaces, compressed: a few kilobytes on the wire. */
    private static byte[] gzipBomb(String json, long padding) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(utf8(json.substring(0, json.length() - 1)));
            byte[] spaces = new byte[64 * 1024];
            Arrays.fill(spaces, (byte) ' ');
            for (long written = 0; written < padding; written += spaces.length) {
                zip.write(spaces);
            }
            zip.write('}');
        }
        return out.toByteArray();
    }

    private JsonNode contactOf(String user) {
        await().atMost(Duration.ofSeconds(15)).until(
                () -> api.get("/api/contacts?externalId=" + user).json().get("items").size() == 1);
        String id = api.get("/api/contacts?externalId=" + user).json().get("items").get(0).get("id").asText();
        return api.get("/api/contacts/" + id).json();
    }

    private long tracked(String contactId, String event) {
        JsonNode entries = api.get("/api/contacts/" + contactId + "/timeline").json().get("entries");
        long count = 0;
        for (JsonNode entry : entries) {
            if (entry.get("type").asText().equals("EventTracked")
                    && entry.get("payload").get("event").asText().equals(event)) {
                count++;
            }
        }
        return count;
    }

    @Test
    void everyPathSegmentServes_withAndWithoutTrailingSlash() throws Exception {
        for (String slash : new String[] {"", "/"}) {
            String user = unique("paths");
            Map<String, String> bodies = new LinkedHashMap<>();
            bodies.put("/v1/identify", "{\"userId\":\"%s\",\"traits\":{\"email\":\"%s@example.com\"}}".formatted(user, user));
            bodies.put("/v1/track", "{\"userId\":\"%s\",\"event\":\"Tracked\"}".formatted(user));
            bodies.put("/v1/page", "{\"userId\":\"%s\",\"name\":\"Home\"}".formatted(user));
            bodies.put("/v1/screen", "{\"userId\":\"%s\",\"name\":\"Main\"}".formatted(user));
            bodies.put("/v1/group", "{\"userId\":\"%s\",\"groupId\":\"g-%s\",\"traits\":{\"name\":\"Acme\"}}"
                    .formatted(user, user));
            bodies.put("/v1/alias", "{\"userId\":\"%s\",\"previousId\":\"%s-before\"}".formatted(user, user));
            bodies.put("/v1/batch", "{\"batch\":[{\"type\":\"track\",\"userId\":\"%s\",\"event\":\"Batched\"}]}"
                    .formatted(user));
            bodies.put("/v1/import", "{\"batch\":[{\"type\":\"track\",\"userId\":\"%s\",\"event\":\"Imported\"}]}"
                    .formatted(user));
            for (var call : bodies.entrySet()) {
                HttpResponse<String> response = post(call.getKey() + slash, utf8(call.getValue()), basic(writeKey));
                assertThat(response.statusCode()).as(call.getKey() + slash + " " + response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).get().asString().contains("application/json");
                assertThat(JSON.readTree(response.body()).get("success").asBoolean()).isTrue();
            }
            JsonNode contact = contactOf(user);
            String contactId = contact.get("id").asText();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(api.get("/api/contacts/" + contactId).json().get("attributes").get("group.id").asText())
                        .isEqualTo("g-" + user);
                for (String event : new String[] {"Tracked", "Page Viewed", "Screen Viewed", "Batched", "Imported"}) {
                    assertThat(tracked(contactId, event)).as(event + slash).isEqualTo(1);
                }
            });
        }
    }

    @Test
    void writeKeyInTheBody_authenticatesLikeTheBasicUsername() throws Exception {
        String user = unique("body-key");
        HttpResponse<String> accepted = post("/v1/import/", utf8("""
                {"batch":[{"type":"track","userId":"%s","event":"Keyed In Body"}],"writeKey":"%s",
                 "sentAt":"2026-01-01T00:00:00Z","context":{"library":{"name":"analytics-java"}}}"""
                .formatted(user, writeKey)), Map.of());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        String contactId = contactOf(user).get("id").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> tracked(contactId, "Keyed In Body") == 1);

        HttpResponse<String> gzipped = post("/v1/track", gzip(utf8("{\"userId\":\"%s\",\"event\":\"Zipped\",\"writeKey\":\"%s\"}"
                .formatted(user, writeKey))), Map.of("Content-Encoding", "gzip"));
        assertThat(gzipped.statusCode()).as(gzipped.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> tracked(contactId, "Zipped") == 1);

        HttpResponse<String> unknown = post("/v1/track", utf8("{\"userId\":\"%s\",\"event\":\"No\",\"writeKey\":\"hk_nope_x\"}"
                .formatted(user)), Map.of());
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("Content-Type")).get().asString().contains("application/problem+json");
        assertThat(JSON.readTree(unknown.body()).get("code").asText()).isEqualTo("auth.invalid-api-key");

        HttpResponse<String> none = post("/v1/track", utf8("{\"userId\":\"%s\",\"event\":\"No\"}".formatted(user)), Map.of());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).get("code").asText()).isEqualTo("auth.unauthenticated");

        String readOnly = TestAuth.apiKey(new ApiClient(port), "read");
        HttpResponse<String> wrongScope = post("/v1/track", utf8("{\"userId\":\"%s\",\"event\":\"No\",\"writeKey\":\"%s\"}"
                .formatted(user, readOnly)), Map.of());
        assertThat(wrongScope.statusCode()).isEqualTo(403);
        assertThat(tracked(contactId, "No")).isZero();
    }

    @Test
    void gzipBombs_are413Problems_onTheirDecompressedSize() throws Exception {
        String user = unique("bomb");
        // 1 MiB single calls, 16 MiB batches: each bomb is a few kilobytes that inflate past its path's limit
        Map<String, byte[]> bombs = new LinkedHashMap<>();
        bombs.put("/v1/track", gzipBomb("{\"userId\":\"%s\",\"event\":\"Bomb\"}".formatted(user), 4L << 20));
        bombs.put("/v1/batch", gzipBomb("{\"batch\":[{\"type\":\"track\",\"userId\":\"%s\",\"event\":\"Bomb\"}]}"
                .formatted(user), 64L << 20));
        bombs.put("/v1/import/", gzipBomb("{\"batch\":[{\"type\":\"track\",\"userId\":\"%s\",\"event\":\"Bomb\"}],\"writeKey\":\"%s\"}"
                .formatted(user, writeKey), 64L << 20));
        bombs.put("/api/track/batch", gzipBomb("{\"batch\":[{\"userId\":\"%s\",\"event\":\"Bomb\"}]}".formatted(user),
                                               64L << 20));
        for (var bomb : bombs.entrySet()) {
            assertThat(bomb.getValue().length).isLessThan(1 << 20);
            Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Encoding", "gzip"));
            if (bomb.getKey().startsWith("/api")) {
                headers.put("Authorization", api.defaultHeader("Authorization"));
            } else if (!bomb.getKey().startsWith("/v1/import")) {
                headers.putAll(basic(writeKey));
            }
            HttpResponse<String> refused = post(bomb.getKey(), bomb.getValue(), headers);
            assertThat(refused.statusCode()).as(bomb.getKey() + " " + refused.body()).isEqualTo(413);
            assertThat(refused.headers().firstValue("Content-Type")).get().asString()
                    .contains("application/problem+json");
            JsonNode problem = JSON.readTree(refused.body());
            assertThat(problem.get("code").asText()).isEqualTo("request.too-large");
        }
        assertThat(api.get("/api/contacts?externalId=" + user).json().get("items")).isEmpty();

        // a body that is not gzip at all, or cut short, is a 400 problem naming the encoding
        byte[] whole = gzip(utf8("{\"userId\":\"%s\",\"event\":\"Cut\"}".formatted(user)));
        for (byte[] broken : new byte[][] {utf8("{\"userId\":\"x\",\"event\":\"y\"}"), Arrays.copyOf(whole, whole.length / 2)}) {
            Map<String, String> headers = new LinkedHashMap<>(basic(writeKey));
            headers.put("Content-Encoding", "gzip");
            HttpResponse<String> malformed = post("/v1/track", broken, headers);
            assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
            assertThat(JSON.readTree(malformed.body()).get("code").asText()).isEqualTo("request.malformed-gzip");
        }
        HttpResponse<String> unsupported = post("/v1/track", utf8("{}"), Map.of("Content-Encoding", "br",
                "Authorization", basic(writeKey).get("Authorization")));
        assertThat(unsupported.statusCode()).as(unsupported.body()).isEqualTo(415);
        assertThat(JSON.readTree(unsupported.body()).get("code").asText()).isEqualTo("request.unsupported-encoding");
    }

    @Test
    void anonymousIdentify_isAccepted_andNeverRefusesTheBatchItCameIn() throws Exception {
        String visitor = unique("anon");
        HttpResponse<String> alone = post("/v1/identify", utf8("""
                {"anonymousId":"%s","traits":{"plan":"trial"}}""".formatted(visitor)), basic(writeKey));
        assertThat(alone.statusCode()).as(alone.body()).isEqualTo(200);

        // analytics-node queues an anonymous identify beside a signed-in user's event: the event is stored
        String user = unique("batched");
        HttpResponse<String> batch = post("/v1/batch", utf8("""
                {"batch":[{"type":"identify","anonymousId":"%s","traits":{"plan":"trial"}},
                          {"type":"track","userId":"%s","event":"Trial Started"}]}""".formatted(visitor, user)),
                                          basic(writeKey));
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        String contactId = contactOf(user).get("id").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> tracked(contactId, "Trial Started") == 1);

        // neither id: still refused, naming the message
        HttpResponse<String> neither = post("/v1/batch", utf8("""
                {"batch":[{"type":"identify","traits":{"plan":"trial"}}]}"""), basic(writeKey));
        assertThat(neither.statusCode()).as(neither.body()).isEqualTo(400);
    }

    @Test
    void group_isKeptOnTheContact_underGroupAttributes() throws Exception {
        String user = unique("grouped");
        HttpResponse<String> first = post("/v1/group", utf8("""
                {"userId":"%s","groupId":"acme","traits":{"name":"Acme","plan":"pro","email":"billing@acme.example",
                 "address":{"city":"Lyon"}},"context":{"ip":"127.0.0.1"},"timestamp":"2026-01-01T00:00:00Z"}"""
                .formatted(user)), basic(writeKey));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode contact = contactOf(user);
        String contactId = contact.get("id").asText();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode now = api.get("/api/contacts/" + contactId).json();
            JsonNode attributes = now.get("attributes");
            assertThat(attributes.get("group.id").asText()).isEqualTo("acme");
            assertThat(attributes.get("group.name").asText()).isEqualTo("Acme");
            assertThat(attributes.get("group.plan").asText()).isEqualTo("pro");
            assertThat(attributes.get("group.address.city").asText()).isEqualTo("Lyon");
            // the group's traits never become the person's profile
            assertThat(attributes.get("group.email").asText()).isEqualTo("billing@acme.example");
            assertThat(now.path("email").isNull() || now.path("email").isMissingNode()).as(now.toString()).isTrue();
        });

        // a later group call: its id and traits win, traits it does not send stay
        HttpResponse<String> second = post("/v1/batch", utf8("""
                {"batch":[{"type":"group","userId":"%s","groupId":"globex","traits":{"name":"Globex"}}]}"""
                .formatted(user)), basic(writeKey));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode attributes = api.get("/api/contacts/" + contactId).json().get("attributes");
            assertThat(attributes.get("group.id").asText()).isEqualTo("globex");
            assertThat(attributes.get("group.name").asText()).isEqualTo("Globex");
        });

        // an anonymous visitor's group call has no contact to go to: accepted, nothing stored
        String visitor = unique("visitor");
        HttpResponse<String> anonymous = post("/v1/group", utf8("{\"anonymousId\":\"%s\",\"groupId\":\"acme\"}"
                .formatted(visitor)), basic(writeKey));
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(200);
        HttpResponse<String> noGroupId = post("/v1/group", utf8("{\"userId\":\"%s\"}".formatted(user)), basic(writeKey));
        assertThat(noGroupId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noGroupId.body()).get("code").asText()).isEqualTo("tracking.group-id.missing");
    }
}
