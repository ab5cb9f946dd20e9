package io.herald.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real accounts and keys for integration tests, made through the public API: the first account
 * registered on a fresh database becomes the admin; others are invited by it.
 */
public final class TestAuth {

    public static final String ADMIN_EMAIL = "admin@herald.test";
    public static final String PASSWORD = "correct horse battery staple 42";
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private TestAuth() {
    }

    /** Registers the admin if this database has none yet, signs in, returns the access token. */
    public static synchronized String admin(ApiClient api) {
        return TOKENS.computeIfAbsent(instance(api) + "|ADMIN", k -> {
            ApiClient.Response registered = api.post("/api/auth/register",
                    "{\"email\":\"" + ADMIN_EMAIL + "\",\"password\":\"" + PASSWORD + "\"}");
            assertThat(registered.status()).as(registered.toString()).isIn(201, 403, 409);
            return login(api, ADMIN_EMAIL, PASSWORD);
        });
    }

    /** An operator with {@code role} (ADMIN, MARKETER, ANALYST), invited by the admin; returns its access token. */
    public static synchronized String userWithRole(ApiClient api, String role) {
        if (role.equals("ADMIN")) {
            return admin(api);
        }
        return TOKENS.computeIfAbsent(instance(api) + "|" + role, k -> {
            String email = role.toLowerCase() + "-" + System.nanoTime() + "@herald.test";
            String invitationToken = invite(api, email, role);
            ApiClient.Response registered = api.post("/api/auth/register", "{\"email\":\"" + email
                    + "\",\"password\":\"" + PASSWORD + "\",\"invitationToken\":\"" + invitationToken + "\"}");
            assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
            return login(api, email, PASSWORD);
        });
    }

    /**
     * Whose tokens an address takes: its address and its signing keys. A port is used again by another test's
     * instance, with another database and keys, and a token cached by address alone would be refused there (401).
     */
    private static String instance(ApiClient api) {
        ApiClient.Response keys = api.get("/.well-known/jwks.json");
        return api.base() + "|" + (keys.status() == 200 ? keys.body() : "");
    }

    public static String invite(ApiClient api, String email, String role) {
        ApiClient.Response invitation = api.send("POST", "/api/users/invitations",
                "{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}", "application/json", bearer(admin(api)));
        assertThat(invitation.status()).as(invitation.toString()).isEqualTo(201);
        return invitation.json().get("token").asText();
    }

    public static String login(ApiClient api, String email, String password) {
        ApiClient.Response login = api.post("/api/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.json().get("accessToken").asText();
    }

    /** A new API key with these scopes; returns the secret. */
    public static String apiKey(ApiClient api, String... scopes) {
        StringBuilder list = new StringBuilder();
        for (String scope : scopes) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(scope).append('"');
        }
        ApiClient.Response created = api.send("POST", "/api/api-keys",
                "{\"label\":\"test key\",\"scopes\":[" + list + "]}", "application/json", bearer(admin(api)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode body = created.json();
        return body.get("key").asText();
    }

    public static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** A client that sends the admin's token on every request. */
    public static ApiClient asAdmin(ApiClient api) {
        return api.withHeader("Authorization", "Bearer " + admin(api));
    }
}
