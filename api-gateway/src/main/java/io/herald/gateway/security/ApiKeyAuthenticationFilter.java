package io.herald.gateway.security;

import io.herald.identity.HeraldPrincipal;
import io.herald.identity.Secrets;
import io.herald.identity.apikey.ApiKeyService;
import io.herald.identity.principal.PrincipalCache;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Authenticates API keys sent as {@code X-API-Key: hk_…}, {@code Authorization: Bearer hk_…},
 * (as Segment's SDKs send their write key) as the username of HTTP Basic authentication, or as the
 * {@code writeKey} in the body of a Segment call ({@link WriteKeyInBodyFilter}). A key that
 * is presented but not valid is refused at once with 401. Valid keys are remembered for a few
 * seconds ({@link PrincipalCache}: revocation on this instance applies at once, on others and at the
 * key's expiry within {@link PrincipalCache#TTL}).
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    private final ApiKeyService keys;
    private final PrincipalCache principals;
    private final AuthenticationEntryPoint entryPoint;

    public ApiKeyAuthenticationFilter(ApiKeyService keys, PrincipalCache principals, AuthenticationEntryPoint entryPoint) {
        this.keys = keys;
        this.principals = principals;
        this.entryPoint = entryPoint;
    }

    /** Remembered under a digest of the key, never the key itself. */
    private record KeyDigest(String sha256) {
        static KeyDigest of(String presented) {
            return new KeyDigest(Secrets.sha256(presented));
        }
    }

    /** The API key carried by the request, or null. */
    static String presentedKey(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            // Segment's write key in the body of a /v1 call (WriteKeyInBodyFilter)
            return request.getAttribute(WriteKeyInBodyFilter.ATTRIBUTE) instanceof String inBody ? inBody : null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            return token.startsWith(ApiKeyService.KEY_PREFIX) ? token : null;
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                                            StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String username = colon < 0 ? decoded : decoded.substring(0, colon);
                return username.startsWith(ApiKeyService.KEY_PREFIX) ? username : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = presentedKey(request);
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<HeraldPrincipal> principal = principals.get(KeyDigest.of(presented), () -> keys.authenticate(presented));
        if (principal.isEmpty()) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, new BadCredentialsException("Unknown, revoked or expired API key"));
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new HeraldAuthentication(principal.get(), null));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}
