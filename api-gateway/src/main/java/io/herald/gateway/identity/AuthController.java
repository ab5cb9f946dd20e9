package io.herald.gateway.identity;

import io.herald.gateway.web.ApiException;
import io.herald.identity.user.IdentityService;
import io.herald.identity.user.User;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Sign-up, sign-in, refresh and sign-out. Tokens come in the body; the refresh token is also set
 * as an httpOnly, SameSite=Strict cookie (Secure over TLS) scoped to {@code /api/auth}, which the
 * dashboard uses so that no refresh token is ever readable by its scripts.
 */
@RestController
@RequestMapping("/api/auth")
class AuthController {

    static final String REFRESH_COOKIE = "herald_refresh";

    record RegisterRequest(@NotBlank @Email @Size(max = 320) String email,
                           @NotBlank @Size(max = 200) String password,
                           @Size(max = 200) String displayName,
                           @Size(max = 200) String invitationToken) {
    }

    record LoginRequest(@NotBlank @Size(max = 320) String email, @NotBlank @Size(max = 200) String password) {
    }

    record RefreshRequest(@Size(max = 200) String refreshToken) {
    }

    record SessionResponse(String tokenType, String accessToken, long expiresIn, Instant accessTokenExpiresAt,
                           String refreshToken, Instant refreshTokenExpiresAt, User user) {
    }

    private final IdentityService identity;

    AuthController(IdentityService identity) {
        this.identity = identity;
    }

    @PostMapping("/register")
    ResponseEntity<User> register(@Valid @RequestBody RegisterRequest request) {
        User user = identity.register(request.email(), request.password(), request.displayName(),
                                      request.invitationToken());
        return ResponseEntity.status(HttpStatus.CREATED).body(user);
    }

    @PostMapping("/login")
    ResponseEntity<SessionResponse> login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        return session(identity.login(request.email(), request.password(), http.getRemoteAddr()), http);
    }

    @PostMapping("/refresh")
    ResponseEntity<SessionResponse> refresh(@Valid @RequestBody(required = false) RefreshRequest request,
                                            HttpServletRequest http) {
        return session(identity.refresh(refreshTokenOf(request, http)), http);
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout(@Valid @RequestBody(required = false) RefreshRequest request, HttpServletRequest http) {
        identity.logout(refreshTokenOf(request, http));
        return ResponseEntity.noContent()
                .header(HttpHeaders.SET_COOKIE, cookie("", Duration.ZERO, http).toString())
                .build();
    }

    private static String refreshTokenOf(RefreshRequest request, HttpServletRequest http) {
        if (request != null && request.refreshToken() != null && !request.refreshToken().isBlank()) {
            return request.refreshToken();
        }
        Cookie[] cookies = http.getCookies();
        return Arrays.stream(cookies == null ? new Cookie[0] : cookies)
                .filter(c -> REFRESH_COOKIE.equals(c.getName()) && !c.getValue().isBlank())
                .map(Cookie::getValue)
                .findFirst()
                .orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "auth.refresh-token-missing",
                                                    "Send the refresh token in the body or the herald_refresh cookie"));
    }

    private ResponseEntity<SessionResponse> session(IdentityService.Session session, HttpServletRequest http) {
        long expiresIn = Math.max(0, Duration.between(Instant.now(), session.accessTokenExpiresAt()).toSeconds());
        Duration cookieAge = Duration.between(Instant.now(), session.refreshTokenExpiresAt());
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, cookie(session.refreshToken(), cookieAge, http).toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new SessionResponse("Bearer", session.accessToken(), expiresIn, session.accessTokenExpiresAt(),
                                          session.refreshToken(), session.refreshTokenExpiresAt(), session.user()));
    }

    private static ResponseCookie cookie(String value, Duration maxAge, HttpServletRequest http) {
        return ResponseCookie.from(REFRESH_COOKIE, value)
                .httpOnly(true)
                .secure(http.isSecure())
                .sameSite("Strict")
                .path("/api/auth")
                .maxAge(maxAge)
                .build();
    }
}
