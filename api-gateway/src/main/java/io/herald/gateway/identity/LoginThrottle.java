package io.herald.gateway.identity;

import io.herald.gateway.ratelimit.Limit;
import io.herald.gateway.ratelimit.Probe;
import io.herald.gateway.ratelimit.RateLimiter;
import io.herald.gateway.security.SecurityProperties;
import io.herald.gateway.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Brute-force protection for logins. Failures are counted per e-mail (whether or not such an
 * account exists, so the answers reveal nothing) and per client address, in the shared
 * rate-limit store. After a few failures answers slow down; past the limit logins are refused
 * with 429 until the window refills.
 */
@Component
public class LoginThrottle {

    private final RateLimiter limiter;
    private final SecurityProperties.LoginThrottle settings;
    private final Limit perAccount;
    private final Limit perAddress;

    public LoginThrottle(RateLimiter limiter, SecurityProperties properties) {
        this.limiter = limiter;
        this.settings = properties.login();
        this.perAccount = new Limit(settings.maxFailuresPerAccount(), settings.window());
        this.perAddress = new Limit(settings.maxFailuresPerIp(), settings.window());
    }

    private static String accountKey(String email) {
        return "login-failures:account:" + Secrets.sha256(email.strip().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "login-failures:ip:" + address;
    }

    /** Refuses (429) when this account or address has failed too often lately. */
    public void checkAllowed(String email, String address) {
        Probe account = limiter.peekOrLocal(accountKey(email), perAccount);
        Probe ip = limiter.peekOrLocal(addressKey(address), perAddress);
        if (!account.allowed() || !ip.allowed()) {
            long retryAfter = Math.max(account.allowed() ? 0 : account.retryAfterSeconds(),
                                       ip.allowed() ? 0 : ip.retryAfterSeconds());
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "auth.too-many-failures",
                                   "Too many failed sign-ins; try again later",
                                   Map.of("retryAfterSeconds", retryAfter),
                                   Map.of("Retry-After", String.valueOf(retryAfter)));
        }
    }

    /** Counts a failure; returns how long to hold the answer back. */
    public Duration recordFailure(String email, String address) {
        Probe account = limiter.consumeOrLocal(accountKey(email), perAccount);
        limiter.consumeOrLocal(addressKey(address), perAddress);
        long failures = settings.maxFailuresPerAccount() - account.remaining();
        return failures >= settings.slowDownAfter() ? settings.slowDown() : Duration.ZERO;
    }
}
