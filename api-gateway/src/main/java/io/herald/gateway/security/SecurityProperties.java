package io.herald.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code herald.security.*}: tokens, external issuer, registration, passwords, login throttling, CORS, limits. */
@ConfigurationProperties("herald.security")
public record SecurityProperties(Jwt jwt, Oidc oidc, Registration registration, Passwords passwords,
                                 LoginThrottle login, Cors cors, Limits limits) {

    public SecurityProperties {
        jwt = jwt == null ? new Jwt(null, null, null, null, null) : jwt;
        oidc = oidc == null ? new Oidc(null, null, null, null, null, null) : oidc;
        registration = registration == null ? new Registration(false, null, null) : registration;
        passwords = passwords == null ? new Passwords(0) : passwords;
        login = login == null ? new LoginThrottle(0, 0, null, 0, null) : login;
        cors = cors == null ? new Cors(null) : cors;
        limits = limits == null ? new Limits(0, 0, null, null) : limits;
    }

    /**
     * Herald's own tokens.
     *
     * @param issuer          {@code iss} of Herald's tokens
     * @param audience        {@code aud} of Herald's tokens (and required of external ones)
     * @param accessTokenTtl  lifetime of an access token (15 minutes)
     * @param refreshTokenTtl lifetime of a refresh token family member (14 days)
     * @param privateKey      RSA private key (PKCS#8 PEM text, or {@code file:/path.pem}); empty: generated once and
     *                        kept in the database, shared by all instances
     */
    public record Jwt(String issuer, String audience, Duration accessTokenTtl, Duration refreshTokenTtl,
                      String privateKey) {
        public Jwt {
            issuer = blank(issuer) ? "herald" : issuer;
            audience = blank(audience) ? "herald-api" : audience;
            accessTokenTtl = accessTokenTtl == null ? Duration.ofMinutes(15) : accessTokenTtl;
            refreshTokenTtl = refreshTokenTtl == null ? Duration.ofDays(14) : refreshTokenTtl;
        }
    }

    /**
     * An external OIDC issuer (Keycloak, Cognito, Auth0) whose tokens Herald also accepts.
     *
     * @param issuerUri   its {@code iss}; empty: none is trusted
     * @param jwkSetUri   where its keys are; empty: discovered from {@code issuerUri}
     * @param audience    required {@code aud}; empty: Herald's audience
     * @param rolesClaim  claim holding the user's roles or groups, dotted for nesting ({@code realm_access.roles})
     * @param roleMapping external role or group → Herald role ({@code herald-admins: ADMIN})
     * @param nameClaim   claim shown as the user's name
     */
    public record Oidc(String issuerUri, String jwkSetUri, String audience, String rolesClaim,
                       Map<String, Role> roleMapping, String nameClaim) {
        public Oidc {
            rolesClaim = blank(rolesClaim) ? "roles" : rolesClaim;
            roleMapping = roleMapping == null ? Map.of() : Map.copyOf(roleMapping);
            nameClaim = blank(nameClaim) ? "email" : nameClaim;
        }

        public boolean enabled() {
            return !blank(issuerUri);
        }
    }

    /**
     * @param open          whether anyone may register once the first (admin) account exists
     * @param openRole      the role of openly registered accounts
     * @param invitationTtl how long an invitation can be accepted
     */
    public record Registration(boolean open, Role openRole, Duration invitationTtl) {
        public Registration {
            openRole = openRole == null ? Role.ANALYST : openRole;
            invitationTtl = invitationTtl == null ? Duration.ofDays(7) : invitationTtl;
        }
    }

    /** @param minLength minimum password length (12) */
    public record Passwords(int minLength) {
        public Passwords {
            minLength = minLength <= 0 ? 12 : minLength;
        }
    }

    /**
     * Failed logins: after {@code slowDownAfter} failures in {@code window} the answers slow down by
     * {@code slowDown}; after {@code maxFailuresPerAccount} for one e-mail or {@code maxFailuresPerIp}
     * from one address, logins are refused (429) until the window refills.
     */
    public record LoginThrottle(int maxFailuresPerAccount, int maxFailuresPerIp, Duration window, int slowDownAfter,
                                Duration slowDown) {
        public LoginThrottle {
            maxFailuresPerAccount = maxFailuresPerAccount <= 0 ? 5 : maxFailuresPerAccount;
            maxFailuresPerIp = maxFailuresPerIp <= 0 ? 20 : maxFailuresPerIp;
            window = window == null ? Duration.ofMinutes(15) : window;
            slowDownAfter = slowDownAfter <= 0 ? 3 : slowDownAfter;
            slowDown = slowDown == null ? Duration.ofMillis(750) : slowDown;
        }
    }

    /** @param allowedOrigins origins allowed by CORS (the dashboard's dev origin by default) */
    public record Cors(List<String> allowedOrigins) {
        public Cors {
            allowedOrigins = allowedOrigins == null ? List.of("http://localhost:3000") : List.copyOf(allowedOrigins);
        }
    }

    /**
     * @param maxBodyBytes     largest request body (1 MiB)
     * @param maxBulkBodyBytes largest body on {@code bulkPaths} (batches, imports: 16 MiB)
     * @param bulkPaths        path patterns that take bulk bodies
     * @param uploadPaths      file uploads (CSV imports), limited by {@code spring.servlet.multipart.*} instead
     */
    public record Limits(long maxBodyBytes, long maxBulkBodyBytes, List<String> bulkPaths, List<String> uploadPaths) {
        public Limits {
            maxBodyBytes = maxBodyBytes <= 0 ? 1024 * 1024 : maxBodyBytes;
            maxBulkBodyBytes = maxBulkBodyBytes <= 0 ? 16L * 1024 * 1024 : maxBulkBodyBytes;
            bulkPaths = bulkPaths == null
                    ? List.of("/api/track/batch", "/v1/batch", "/v1/batch/", "/v1/import", "/v1/import/")
                    : List.copyOf(bulkPaths);
            uploadPaths = uploadPaths == null ? List.of("/api/contacts/imports") : List.copyOf(uploadPaths);
        }
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
