package io.herald.gateway.security;

import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import io.herald.identity.principal.PrincipalCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.UUID;

import static io.herald.gateway.support.TestAuth.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Users and API keys are remembered for {@link PrincipalCache#TTL}: a change written by another
 * instance (here: straight into the database, which no instance's cache hears of) applies within it.
 * Changes through this instance apply on the very next request (AuthIT, ApiKeyIT).
 */
class PrincipalCacheIT extends IntegrationTest {

    private static final Duration BOUND = PrincipalCache.TTL.plusSeconds(2);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
    }

    @Test
    void aUserDeactivatedByAnotherInstance_isLockedOutWithinTheBound() {
        String email = "cache-" + UUID.randomUUID() + "@herald.test";
        String invitation = TestAuth.invite(api, email, "ANALYST");
        assertThat(api.post("/api/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + TestAuth.PASSWORD
                + "\",\"invitationToken\":\"" + invitation + "\"}").status()).isEqualTo(201);
        String token = TestAuth.login(api, email, TestAuth.PASSWORD);
        assertThat(api.send("GET", "/api/me", null, null, bearer(token)).status()).isEqualTo(200);

        jdbc.update("update app_user set active = false where lower(email) = lower(?)", email);

        await().atMost(BOUND).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(api.send("GET", "/api/me", null, null, bearer(token)).status()).isEqualTo(401));
    }

    @Test
    void anApiKeyRevokedByAnotherInstance_isRefusedWithinTheBound() {
        String key = TestAuth.apiKey(api, "read");
        assertThat(api.send("GET", "/api/campaigns", null, null, bearer(key)).status()).isEqualTo(200);

        String prefix = key.substring("hk_".length(), key.indexOf('_', "hk_".length()));
        jdbc.update("update api_key set revoked_at = now() where prefix = ?", prefix);

        await().atMost(BOUND).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(api.send("GET", "/api/campaigns", null, null, bearer(key)).status()).isEqualTo(401));
    }
}
