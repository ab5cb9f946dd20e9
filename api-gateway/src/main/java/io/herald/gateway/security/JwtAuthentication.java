package io.herald.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.herald.identity.HeraldPrincipal;
import io.herald.identity.IdentityProperties;
import io.herald.identity.Role;
import io.herald.identity.principal.PrincipalCache;
import io.herald.identity.token.SigningKeys;
import io.herald.identity.user.User;
import io.herald.identity.user.UserStore;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Which bearer tokens Herald trusts: its own (RS256, its issuer and audience, checked against the
 * user's current state through {@link PrincipalCache}, so deactivation and role changes apply at
 * once on this instance and within {@link PrincipalCache#TTL} on others), and optionally those of
 * one external OIDC issuer, whose role claim is mapped onto Herald's roles. Tokens of any other
 * issuer, unsigned ({@code alg: none}), expired or for another audience are 401.
 * <p>
 * A client sends the same access token for its whole lifetime (15 minutes), so Herald's own tokens
 * are parsed and their signature verified once: the exact token text of a verified token is
 * remembered with its claims, and each later use checks only its validity period again.
 */
@Component
public class JwtAuthentication {

    /** Verified own tokens remembered (a few per active user: one per 15-minute access token). */
    static final int VERIFIED_TOKENS = 10_000;
    /** {@link JwtTimestampValidator}'s default, as in {@link JwtValidators#createDefaultWithIssuer}. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final JwtTimestampValidator TIMESTAMPS = new JwtTimestampValidator(CLOCK_SKEW);

    private final AuthenticationManagerResolver<jakarta.servlet.http.HttpServletRequest> resolver;

    public JwtAuthentication(SigningKeys keys, IdentityProperties properties, UserStore users,
                             PrincipalCache principals) throws Exception {
        IdentityProperties.Jwt own = properties.jwt();
        NimbusJwtDecoder ownDecoder = NimbusJwtDecoder.withPublicKey(keys.signingKey().toRSAPublicKey())
                .signatureAlgorithm(SignatureAlgorithm.RS256).build();
        OAuth2TokenValidator<Jwt> ownValidator = validator(own.issuer(), own.audience());
        ownDecoder.setJwtValidator(ownValidator);
        Cache<String, Jwt> verified = Caffeine.newBuilder().maximumSize(VERIFIED_TOKENS)
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> untilExpiry(jwt))).build();
        JwtDecoder rememberingDecoder = token -> {
            Jwt jwt = ownDecoder.decode(token); // signature, expiry, issuer, audience
            verified.put(token, jwt);
            return jwt;
        };
        Converter<Jwt, HeraldAuthentication> toUser = jwt -> ownUser(jwt, users, principals);
        JwtAuthenticationProvider ownProvider = new JwtAuthenticationProvider(rememberingDecoder);
        ownProvider.setJwtAuthenticationConverter(toUser::convert);
        AuthenticationManager ownManager = ownProvider::authenticate;

        Map<String, AuthenticationManager> managers = new java.util.HashMap<>();
        managers.put(own.issuer(), ownManager);
        IdentityProperties.Oidc oidc = properties.oidc();
        if (oidc.enabled()) {
            String audience = IdentityProperties.blank(oidc.audience()) ? own.audience() : oidc.audience();
            Supplier<JwtDecoder> external = lazyExternalDecoder(oidc, audience);
            JwtAuthenticationProvider externalProvider = new JwtAuthenticationProvider(token -> external.get().decode(token));
            externalProvider.setJwtAuthenticationConverter(jwt -> externalUser(jwt, oidc));
            managers.put(oidc.issuerUri(), externalProvider::authenticate);
        }
        AuthenticationManagerResolver<jakarta.servlet.http.HttpServletRequest> byIssuer =
                new JwtIssuerAuthenticationManagerResolver(managers::get);
        // a token verified before skips the issuer lookup (a parse) and the signature check
        AuthenticationManager remembered = authentication -> {
            if (authentication instanceof BearerTokenAuthenticationToken bearer) {
                Jwt jwt = verified.getIfPresent(bearer.getToken());
                // signature, issuer and audience cannot have changed since: only the time is checked again
                if (jwt != null && !TIMESTAMPS.validate(jwt).hasErrors()) {
                    HeraldAuthentication result = toUser.convert(jwt);
                    result.setDetails(bearer.getDetails());
                    return result;
                }
            }
            return null;
        };
        this.resolver = request -> authentication -> {
            Authentication result = remembered.authenticate(authentication);
            return result != null ? result : byIssuer.resolve(request).authenticate(authentication);
        };
    }

    /** Until the token's expiry (plus the validators' clock skew); the validator decides at each use. */
    private static Duration untilExpiry(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(Instant.now(), expiresAt.plus(CLOCK_SKEW));
        return left.isNegative() ? Duration.ZERO : left;
    }

    public AuthenticationManagerResolver<jakarta.servlet.http.HttpServletRequest> resolver() {
        return resolver;
    }

    private static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
        OAuth2TokenValidator<Jwt> audienceValidator = jwt -> {
            List<String> audiences = jwt.getAudience();
            return audiences != null && audiences.contains(audience)
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "Wrong audience", null));
        };
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer), audienceValidator);
    }

    private static Supplier<JwtDecoder> lazyExternalDecoder(IdentityProperties.Oidc oidc, String audience) {
        return new Supplier<>() {
            private volatile JwtDecoder decoder;

            @Override
            public JwtDecoder get() {
                if (decoder == null) {
                    synchronized (this) {
                        if (decoder == null) {
                            NimbusJwtDecoder built = IdentityProperties.blank(oidc.jwkSetUri())
                                    ? (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(oidc.issuerUri())
                                    : NimbusJwtDecoder.withJwkSetUri(oidc.jwkSetUri())
                                            .jwsAlgorithm(SignatureAlgorithm.RS256).build();
                            built.setJwtValidator(validator(oidc.issuerUri(), audience));
                            decoder = built;
                        }
                    }
                }
                return decoder;
            }
        };
    }

    private static HeraldAuthentication ownUser(Jwt jwt, UserStore users, PrincipalCache principals) {
        UUID id;
        try {
            id = UUID.fromString(jwt.getSubject());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DisabledException("Unknown subject");
        }
        User user = principals.get(new UserKey(id), () -> users.findById(id)).filter(User::active)
                .orElseThrow(() -> new DisabledException("The account is deactivated or gone"));
        return new HeraldAuthentication(new HeraldPrincipal(HeraldPrincipal.Kind.USER, id.toString(), user.email(),
                                                            user.roles(), Set.of()), jwt);
    }

    private record UserKey(UUID id) {
    }

    private static HeraldAuthentication externalUser(Jwt jwt, IdentityProperties.Oidc oidc) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : claimValues(jwt.getClaims(), oidc.rolesClaim())) {
            Role mapped = oidc.roleMapping().get(value);
            if (mapped != null) {
                roles.add(mapped);
            }
        }
        Object name = jwt.getClaims().get(oidc.nameClaim());
        return new HeraldAuthentication(new HeraldPrincipal(HeraldPrincipal.Kind.EXTERNAL_USER, jwt.getSubject(),
                                                            name == null ? jwt.getSubject() : name.toString(), roles,
                                                            Set.of()), jwt);
    }

    /** Values of a possibly nested ({@code realm_access.roles}) claim, as strings. */
    static List<String> claimValues(Map<String, Object> claims, String path) {
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return List.of();
            }
            current = map.get(part);
        }
        if (current instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return current == null ? List.of() : List.of(String.valueOf(current));
    }
}
