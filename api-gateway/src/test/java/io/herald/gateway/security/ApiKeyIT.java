package io.herald.gateway.security;

import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static io.herald.gateway.support.TestAuth.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** API keys: shown once, stored hashed, scoped, accepted in three forms, revoked at once, expiring. */
class ApiKeyIT extends IntegrationTest {

    @LocalServerPort
    int port;
    ApiClient api;
    String admin;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        admin = TestAuth.admin(api);
    }

    @Test
    void keys_areShownOnce_listedWithoutSecret_andScoped() {
        Response created = api.send("POST", "/api/api-keys",
                                    "{\"label\":\"n8n\",\"scopes\":[\"campaigns:write\",\"read\"]}", "application/json",
                                    bearer(admin));
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().get("key").asText();
        String id = created.json().get("id").asText();
        assertThat(key).startsWith("hk_" + created.json().get("prefix").asText() + "_");
        Response listed = api.send("GET", "/api/api-keys", null, null, bearer(admin));
        assertThat(listed.body()).contains(id).contains("n8n").doesNotContain(key).doesNotContain("secret");

        Response viaHeader = api.send("POST", "/api/campaigns", CampaignApiITSupport.EMAIL_BODY, "application/json",
                                      Map.of("X-API-Key", key));
        assertThat(viaHeader.status()).isEqualTo(201);
        String campaign = viaHeader.json().get("id").asText();
        Response history = api.send("GET", "/api/campaigns/" + campaign + "/history", null, null, bearer(key));
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().get("events").get(0).get("actor").asText()).isEqualTo("api-key:" + id);
        String basic = Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        assertThat(api.send("GET", "/api/campaigns", null, null, Map.of("Authorization", "Basic " + basic)).status())
                .isEqualTo(200);

        // scopes: no launch, no user administration
        assertThat(api.send("POST", "/api/campaigns/" + campaign + "/launch", null, null, bearer(key)).status())
                .isEqualTo(403);
        assertThat(api.send("GET", "/api/users", null, null, bearer(key)).status()).isEqualTo(403);
        Response me = api.send("GET", "/api/me", null, null, bearer(key));
        assertThat(me.json().get("kind").asText()).isEqualTo("API_KEY");
        assertThat(me.json().get("scopes").toString()).contains("campaigns:write");
    }

    @Test
    void revokedKey_isRefusedOnTheVeryNextRequest() {
        Response created = api.send("POST", "/api/api-keys", "{\"label\":\"temp\",\"scopes\":[\"read\"]}",
                                    "application/json", bearer(admin));
        String key = created.json().get("key").asText();
        assertThat(api.send("GET", "/api/campaigns", null, null, bearer(key)).status()).isEqualTo(200);
        assertThat(api.send("DELETE", "/api/api-keys/" + created.json().get("id").asText(), null, null, bearer(admin))
                           .status()).isEqualTo(204);
        Response refused = api.send("GET", "/api/campaigns", null, null, bearer(key));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("auth.invalid-api-key");
        assertThat(api.send("GET", "/api/campaigns", null, null, bearer(key.substring(0, key.length() - 1) + "x"))
                           .status()).isEqualTo(401);
    }

    @Test
    void expiredKey_isRefused() {
        Instant expiresAt = Instant.now().plusSeconds(2);
        Response created = api.send("POST", "/api/api-keys", "{\"label\":\"short\",\"scopes\":[\"read\"],\"expiresAt\":\""
                + expiresAt + "\"}", "application/json", bearer(admin));
        String key = created.json().get("key").asText();
        assertThat(api.send("GET", "/api/campaigns", null, null, bearer(key)).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.send("GET", "/api/campaigns", null, null, bearer(key)).status()).isEqualTo(401));
    }

    @Test
    void badKeyRequests_areProblems() {
        Response unknownScope = api.send("POST", "/api/api-keys", "{\"label\":\"x\",\"scopes\":[\"everything\"]}",
                                         "application/json", bearer(admin));
        assertThat(unknownScope.status()).isEqualTo(400);
        assertThat(unknownScope.json().get("code").asText()).isEqualTo("api-key.invalid-scopes");
        assertThat(api.send("POST", "/api/api-keys", "{\"label\":\"x\",\"scopes\":[]}", "application/json",
                            bearer(admin)).status()).isEqualTo(400);
        assertThat(api.send("POST", "/api/api-keys", "{\"label\":\"x\",\"scopes\":[\"read\"],\"expiresAt\":\"2001-01-01T00:00:00Z\"}",
                            "application/json", bearer(admin)).status()).isEqualTo(400);
        assertThat(api.send("DELETE", "/api/api-keys/" + java.util.UUID.randomUUID(), null, null, bearer(admin)).status())
                .isEqualTo(404);
        String marketer = TestAuth.userWithRole(api, "MARKETER");
        assertThat(api.send("POST", "/api/api-keys", "{\"label\":\"x\",\"scopes\":[\"read\"]}", "application/json",
                            bearer(marketer)).status()).isEqualTo(403);
    }
}
