package io.herald.gateway.security;

import io.herald.gateway.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;
import java.util.Map;

/** 401 and 403 as problem+json, with the {@code WWW-Authenticate} challenge of RFC 6750. */
public class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ProblemWriter problems;

    public ProblemSecurityHandlers(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean invalidToken = e instanceof OAuth2AuthenticationException || e instanceof InvalidBearerTokenException;
        boolean badKey = ApiKeyAuthenticationFilter.presentedKey(request) != null;
        String code;
        String detail;
        if (invalidToken) {
            code = "auth.invalid-token";
            detail = "The access token is invalid, expired or not for this API";
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        } else if (badKey) {
            code = "auth.invalid-api-key";
            detail = "The API key is unknown, revoked or expired";
            response.setHeader("WWW-Authenticate", "Bearer");
        } else {
            code = "auth.unauthenticated";
            detail = "Sign in (Bearer token) or send an API key";
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        problems.write(request, response, HttpStatus.UNAUTHORIZED, code, detail, Map.of());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        problems.write(request, response, HttpStatus.FORBIDDEN, "auth.forbidden",
                       "Your role or your key's scopes do not allow this", Map.of());
    }
}
