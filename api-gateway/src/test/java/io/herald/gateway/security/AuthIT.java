package io.herald.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import io.herald.eventstore.support.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.herald.gateway.support.TestAuth.PASSWORD;
import static io.herald.gateway.support.TestAuth.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Operators: registration, sign-in, refresh rotation and reuse detection, sign-out, administration. */
class AuthIT extends IntegrationTest {

    @LocalServerPort
    int port;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        TestAuth.admin(api);
    }

    private static String email(String name) {
        return name + "-" + System.nanoTime() + "@herald.test";
    }

    private Response register(String email, String password, String invitation) {
        return api.post("/api/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\""
                + (invitation == null ? "" : ",\"invitationToken\":\"" + invitation + "\"") + "}");
    }

    private Response login(String email, String password) {
        return api.post("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
    }

    private String invitedUser(String role) {
        String email = email(role.toLowerCase());
        assertThat(register(email, PASSWORD, TestAuth.invite(api, email, role)).status()).isEqualTo(201);
        return email;
    }

    @Test
    void firstAccountIsAdmin_evenWhenSeveralRegisterAtOnce() throws Exception {
        try (HeraldInstance fresh = HeraldInstance.start(TestDatabases.newDatabase())) {
            ApiClient freshApi = fresh.api();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<Response>> attempts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String email = "first-" + i + "@herald.test";
                attempts.add(pool.submit((Callable<Response>) () -> freshApi.post("/api/auth/register",
                        "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}")));
            }
            List<Integer> statuses = new ArrayList<>();
            JsonNode admin = null;
            for (Future<Response> attempt : attempts) {
                Response response = attempt.get();
                statuses.add(response.status());
                if (response.status() == 201) {
                    admin = response.json();
                }
            }
            pool.shutdown();
            assertThat(statuses).containsOnlyOnce(201).filteredOn(s -> s != 201).containsOnly(403);
            assertThat(admin.get("roles").toString()).isEqualTo("[\"ADMIN\"]");
        }
    }

    @Test
    void registration_isClosedWithoutInvitation_andInvitationsAreSingleUseAndBoundToTheirEmail() {
        Response closed = register(email("stranger"), PASSWORD, null);
        assertThat(closed.status()).isEqualTo(403);
        assertThat(closed.json().get("code").asText()).isEqualTo("auth.registration-closed");

        String email = email("marketer");
        String invitation = TestAuth.invite(api, email, "MARKETER");
        Response mismatch = register(email("someone-else"), PASSWORD, invitation);
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.json().get("code").asText()).isEqualTo("auth.invitation-email-mismatch");
        Response accepted = register(email, PASSWORD, invitation);
        assertThat(accepted.status()).isEqualTo(201);
        assertThat(accepted.json().get("roles").toString()).isEqualTo("[\"MARKETER\"]");
        assertThat(accepted.body()).doesNotContain("password");
        Response reused = register(email("again"), PASSWORD, invitation);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.json().get("code").asText()).isEqualTo("auth.invitation-invalid");
        Response duplicate = api.send("POST", "/api/users/invitations", "{\"email\":\"" + email.toUpperCase()
                + "\",\"role\":\"ANALYST\"}", "application/json", bearer(TestAuth.admin(api)));
        assertThat(duplicate.status()).isEqualTo(409);
    }

    @Test
    void passwords_thatAreShortCommonOrContainTheEmail_areRefused() {
        String email = email("weak");
        for (String password : List.of("short", "Password123!", "qwertyuiop123", "aaaaaaaaaaaaaaaa",
                                       email + "-extra", "x".repeat(73))) {
            Response refused = register(email, password, TestAuth.invite(api, email(password.length() + "w"), "ANALYST"));
            assertThat(refused.status()).as(password).isEqualTo(400);
            assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("password");
        }
    }

    @Test
    void login_givesShortLivedAccessTokenAndRotatingRefreshToken_andReuseRevokesTheFamily() {
        String email = invitedUser("ANALYST");
        Response session = login(email, PASSWORD);
        assertThat(session.status()).isEqualTo(200);
        JsonNode body = session.json();
        assertThat(body.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(body.get("expiresIn").asLong()).isBetween(890L, 900L);
        assertThat(session.header("Set-Cookie")).contains("herald_refresh=").contains("HttpOnly")
                .contains("SameSite=Strict").contains("Path=/api/auth");
        String first = body.get("refreshToken").asText();

        Response rotated = api.post("/api/auth/refresh", "{\"refreshToken\":\"" + first + "\"}");
        assertThat(rotated.status()).isEqualTo(200);
        String second = rotated.json().get("refreshToken").asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(api.send("GET", "/api/me", null, null, bearer(rotated.json().get("accessToken").asText())).status())
                .isEqualTo(200);

        Response reuse = api.post("/api/auth/refresh", "{\"refreshToken\":\"" + first + "\"}");
        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.json().get("code").asText()).isEqualTo("auth.refresh-token-reused");
        Response familyGone = api.post("/api/auth/refresh", "{\"refreshToken\":\"" + second + "\"}");
        assertThat(familyGone.status()).isEqualTo(401);

        // the cookie works as well as the body, and logout ends the family
        String third = login(email, PASSWORD).json().get("refreshToken").asText();
        Response viaCookie = api.send("POST", "/api/auth/refresh", null, null, Map.of("Cookie", "herald_refresh=" + third));
        assertThat(viaCookie.status()).isEqualTo(200);
        String fourth = viaCookie.json().get("refreshToken").asText();
        assertThat(api.post("/api/auth/logout", "{\"refreshToken\":\"" + fourth + "\"}").status()).isEqualTo(204);
        assertThat(api.post("/api/auth/refresh", "{\"refreshToken\":\"" + fourth + "\"}").status()).isEqualTo(401);
        assertThat(api.post("/api/auth/refresh", "{}").json().get("code").asText()).isEqualTo("auth.refresh-token-missing");
    }

    @Test
    void failedLogins_slowDownThenRefuse_andSayNothingAboutWhetherTheAccountExists() {
        String existing = invitedUser("ANALYST");
        String unknown = email("nobody");
        for (String email : List.of(existing, unknown)) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Response failed = login(email, "wrong password " + i);
                statuses.add(failed.status());
                assertThat(failed.json().get("detail").asText()).isEqualTo("Invalid e-mail or password");
            }
            assertThat(statuses).containsOnly(401);
            Response refused = login(email, "still wrong");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().get("code").asText()).isEqualTo("auth.too-many-failures");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
        }
        // even the right password waits for the window now
        assertThat(login(existing, PASSWORD).status()).isEqualTo(429);
    }

    @Test
    void deactivation_locksTheUserOutOnTheNextRequest_andRoleChangesApplyAtOnce() {
        String email = invitedUser("ANALYST");
        Response session = login(email, PASSWORD);
        String token = session.json().get("accessToken").asText();
        String refresh = session.json().get("refreshToken").asText();
        String id = session.json().get("user").get("id").asText();
        String admin = TestAuth.admin(api);

        Response refused = api.send("POST", "/api/campaigns", CampaignApiITSupport.EMAIL_BODY, "application/json", bearer(token));
        assertThat(refused.status()).isEqualTo(403);
        Response promoted = api.send("PUT", "/api/users/" + id + "/roles", "{\"roles\":[\"MARKETER\"]}", "application/json",
                                     bearer(admin));
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(api.send("POST", "/api/campaigns", CampaignApiITSupport.EMAIL_BODY, "application/json", bearer(token))
                           .status()).isEqualTo(201);

        assertThat(api.send("POST", "/api/users/" + id + "/deactivate", null, null, bearer(admin)).status()).isEqualTo(200);
        Response locked = api.send("GET", "/api/me", null, null, bearer(token));
        assertThat(locked.status()).isEqualTo(401);
        assertThat(api.post("/api/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}").status()).isEqualTo(401);
        assertThat(login(email, PASSWORD).status()).isEqualTo(401);

        assertThat(api.send("POST", "/api/users/" + id + "/activate", null, null, bearer(admin)).status()).isEqualTo(200);
        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void theLastAdmin_cannotBeDemotedOrDeactivated() {
        String admin = TestAuth.admin(api);
        String adminId = api.send("GET", "/api/me", null, null, bearer(admin)).json().get("id").asText();
        Response demote = api.send("PUT", "/api/users/" + adminId + "/roles", "{\"roles\":[\"ANALYST\"]}",
                                   "application/json", bearer(admin));
        if (demote.status() == 409) {
            assertThat(demote.json().get("code").asText()).isEqualTo("users.last-admin");
            assertThat(api.send("POST", "/api/users/" + adminId + "/deactivate", null, null, bearer(admin)).status())
                    .isEqualTo(409);
        } else {
            throw new AssertionError("another admin exists in this shared database: " + demote);
        }
        JsonNode users = api.send("GET", "/api/users", null, null, bearer(admin)).json();
        assertThat(users.findValuesAsText("email")).contains(TestAuth.ADMIN_EMAIL);
        assertThat(users.toString()).doesNotContain("password");
    }

    @Test
    void adminEndpoints_refuseBadInputWithProblems() {
        String admin = TestAuth.admin(api);
        assertThat(api.send("PUT", "/api/users/" + java.util.UUID.randomUUID() + "/roles", "{\"roles\":[\"MARKETER\"]}",
                            "application/json", bearer(admin)).status()).isEqualTo(404);
        assertThat(api.send("PUT", "/api/users/not-a-uuid/roles", "{\"roles\":[\"MARKETER\"]}",
                            "application/json", bearer(admin)).status()).isEqualTo(400);
        assertThat(api.send("PUT", "/api/users/" + java.util.UUID.randomUUID() + "/roles", "{\"roles\":[\"KING\"]}",
                            "application/json", bearer(admin)).status()).isEqualTo(400);
        assertThat(api.send("POST", "/api/users/invitations", "{\"role\":\"ANALYST\",\"email\":\"not-an-email\"}",
                            "application/json", bearer(admin)).status()).isEqualTo(400);
        assertThat(api.post("/api/auth/login", "{\"email\":\"x@y.z\"}").status()).isEqualTo(400);
        assertThat(api.post("/api/auth/login", "{\"email\":\"x@y.z\",\"password\":\"p\",\"extra\":1}").status()).isEqualTo(400);
    }
}
