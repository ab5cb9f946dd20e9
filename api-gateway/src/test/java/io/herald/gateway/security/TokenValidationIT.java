package io.herald.gateway.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import io.herald.eventstore.support.TestDatabases;
import io.herald.identity.token.SigningKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.herald.gateway.support.TestAuth.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Which bearer tokens are accepted: Herald's own valid ones and a configured external issuer's; nothing else. */
class TokenValidationIT extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    ApiClient api;
    String adminId;
    RSAKey heraldKey;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        adminId = api.send("GET", "/api/me", null, null, bearer(TestAuth.admin(api))).json().get("id").asText();
        Map<String, Object> row = jdbc.queryForMap("select kid, private_key from jwt_signing_key order by created_at limit 1");
        heraldKey = SigningKeys.fromPem((String) row.get("private_key"), (String) row.get("kid"));
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                                              .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private JWTClaimsSet.Builder claims(String issuer, String audience, Instant expires) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(adminId)
                .issueTime(Date.from(Instant.now().minusSeconds(60))).expirationTime(Date.from(expires))
                .claim("roles", List.of("ADMIN"));
    }

    private int statusWith(String token) {
        return api.send("GET", "/api/campaigns", null, null, bearer(token)).status();
    }

    @Test
    void heraldsOwnValidToken_isAccepted() throws Exception {
        assertThat(statusWith(sign(heraldKey, claims("herald", "herald-api", Instant.now().plusSeconds(300)).build())))
                .isEqualTo(200);
    }

    @Test
    void forgedExpiredUnsignedWrongIssuerAndWrongAudienceTokens_are401() throws Exception {
        KeyPair other = SigningKeys.generate();
        RSAKey otherKey = new RSAKey.Builder((RSAPublicKey) other.getPublic()).privateKey(other.getPrivate())
                .keyID(heraldKey.getKeyID()).build();
        String forged = sign(otherKey, claims("herald", "herald-api", Instant.now().plusSeconds(300)).build());
        String expired = sign(heraldKey, claims("herald", "herald-api", Instant.now().minusSeconds(120)).build());
        String unsigned = new PlainJWT(claims("herald", "herald-api", Instant.now().plusSeconds(300)).build()).serialize();
        String wrongIssuer = sign(heraldKey, claims("https://evil.example", "herald-api", Instant.now().plusSeconds(300)).build());
        String wrongAudience = sign(heraldKey, claims("herald", "another-api", Instant.now().plusSeconds(300)).build());
        String tampered = TestAuth.admin(api);
        tampered = tampered.substring(0, tampered.lastIndexOf('.') - 4) + "AAAA" + tampered.substring(tampered.lastIndexOf('.'));
        for (String token : List.of(forged, expired, unsigned, wrongIssuer, wrongAudience, tampered, "garbage", "a.b.c")) {
            var response = api.send("GET", "/api/campaigns", null, null, bearer(token));
            assertThat(response.status()).as(token).isEqualTo(401);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
        // and with no credentials at all
        assertThat(api.get("/api/campaigns").json().get("code").asText()).isEqualTo("auth.unauthenticated");
    }

    @Test
    void aTokenAcceptedBefore_isRefusedOnceItExpires() throws Exception {
        // expired 58 s ago: still within the 60 s clock skew, so accepted (and its verification remembered)
        String token = sign(heraldKey, claims("herald", "herald-api", Instant.now().minusSeconds(58)).build());
        assertThat(statusWith(token)).isEqualTo(200);
        assertThat(statusWith(token)).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(statusWith(token)).isEqualTo(401));
    }

    @Test
    void jwks_servesThePublicKeyOnly() {
        var jwks = api.get("/.well-known/jwks.json");
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.json().get("keys").get(0).get("kid").asText()).isEqualTo(heraldKey.getKeyID());
        assertThat(jwks.json().get("keys").get(0).has("d")).isFalse();
    }

    @Test
    void externalOidcIssuer_isTrustedWithItsRolesMapped() throws Exception {
        KeyPair pair = SigningKeys.generate();
        RSAKey idpKey = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate())
                .keyID("idp-1").keyUse(KeyUse.SIGNATURE).build();
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = new JWKSet(idpKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        idp.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        idp.start();
        String issuer = "https://idp.example/realms/herald";
        try (HeraldInstance herald = HeraldInstance.start(TestDatabases.newDatabase(),
                "herald.security.oidc.issuer-uri=" + issuer,
                "herald.security.oidc.jwk-set-uri=http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks",
                "herald.security.oidc.roles-claim=realm_access.roles",
                "herald.security.oidc.role-mapping.herald-marketers=MARKETER")) {
            ApiClient external = herald.api();
            JWTClaimsSet.Builder base = new JWTClaimsSet.Builder().issuer(issuer).audience("herald-api")
                    .subject("kc-user-7").claim("email", "mia@corp.example")
                    .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)));
            String marketer = sign(idpKey, base.claim("realm_access", Map.of("roles", List.of("herald-marketers"))).build());
            var created = external.send("POST", "/api/campaigns", CampaignApiITSupport.EMAIL_BODY, "application/json",
                                        bearer(marketer));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.json().get("id").asText();
            var history = external.send("GET", "/api/campaigns/" + id + "/history", null, null, bearer(marketer));
            assertThat(history.json().get("events").get(0).get("actor").asText()).isEqualTo("oidc-user:kc-user-7");

            String noRole = sign(idpKey, base.claim("realm_access", Map.of("roles", List.of("other"))).build());
            assertThat(external.send("GET", "/api/campaigns", null, null, bearer(noRole)).status()).isEqualTo(403);
            assertThat(external.send("GET", "/api/me", null, null, bearer(noRole)).status()).isEqualTo(200);
            String wrongAudience = sign(idpKey, base.audience("elsewhere").build());
            assertThat(external.send("GET", "/api/me", null, null, bearer(wrongAudience)).status()).isEqualTo(401);
            KeyPair stranger = SigningKeys.generate();
            String unknownKey = sign(new RSAKey.Builder((RSAPublicKey) stranger.getPublic()).privateKey(stranger.getPrivate())
                                             .keyID("idp-1").build(), base.audience("herald-api").build());
            assertThat(external.send("GET", "/api/me", null, null, bearer(unknownKey)).status()).isEqualTo(401);
        } finally {
            idp.stop(0);
        }
    }
}
