package io.herald.gateway.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A definition's optional {@code layout} (the editor's node positions): stored with the draft and in versions. */
class FlowLayoutIT extends IntegrationTest {

    @LocalServerPort
    int port;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
    }

    private static String definition(String layout) {
        return """
                {"trigger":{"type":"api"},"nodes":[{"type":"entry","id":"start","next":"done"},{"type":"exit","id":"done"}]%s}"""
                .formatted(layout == null ? "" : ",\"layout\":" + layout);
    }

    @Test
    void layout_isRoundTripped_byTheDraftAndThePublishedVersion_andAbsentWhenNotGiven() {
        Response created = api.post("/api/flows", "{\"name\":\"Layout " + UUID.randomUUID() + "\",\"definition\":"
                + definition(null) + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("draft").has("layout")).isFalse();

        Response saved = api.send("PUT", "/api/flows/" + id + "/draft", "{\"name\":\"Layout\",\"definition\":"
                + definition("{\"start\":{\"x\":16,\"y\":24.5},\"done\":{\"x\":16,\"y\":200}}") + "}",
                                  "application/json", Map.of("If-Match", created.header("ETag")));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        JsonNode layout = api.get("/api/flows/" + id).json().get("draft").get("layout");
        assertThat(layout.get("start").get("y").asDouble()).isEqualTo(24.5);
        assertThat(layout.get("done").get("y").asDouble()).isEqualTo(200);

        assertThat(api.post("/api/flows/" + id + "/publish", null).status()).isEqualTo(200);
        JsonNode version = api.get("/api/flows/" + id + "/versions/1").json();
        assertThat(version.get("definition").get("layout").get("start").get("x").asDouble()).isEqualTo(16);
    }

    @Test
    void aPositionOfAMissingNode_orNotANumber_is422_namingIt() {
        Response unknown = api.post("/api/flows", "{\"name\":\"Layout " + UUID.randomUUID() + "\",\"definition\":"
                + definition("{\"gone\":{\"x\":1,\"y\":2}}") + "}");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
        assertThat(unknown.body()).contains("layout.gone");
        Response text = api.post("/api/flows", "{\"name\":\"Layout " + UUID.randomUUID() + "\",\"definition\":"
                + definition("{\"start\":{\"x\":\"left\",\"y\":2}}") + "}");
        assertThat(text.status()).as(text.toString()).isEqualTo(400);
    }
}
