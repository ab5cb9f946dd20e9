package io.herald.identity.user;

import io.herald.api.common.DomainException;
import io.herald.identity.IdentityProperties;
import io.herald.identity.Secrets;
import io.herald.identity.user.FailureCounter.Count;
import io.herald.identity.user.FailureCounter.Limit;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Brute-force protection for logins. Failures are counted per e-mail (whether or not such an
 * account exists, so the answers reveal nothing) and per client address, in the shared
 * rate-limit store ({@link FailureCounter}). After a few failures answers slow down; past the limit
 * logins are refused with 429 until the window refills.
 */
@Component
public class LoginThrottle {

    private final FailureCounter counter;
    private final IdentityProperties.LoginThrottle settings;
    private final Limit perAccount;
    private final Limit perAddress;

    public LoginThrottle(FailureCounter counter, IdentityProperties properties) {
        this.counter = counter;
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
        Count account = counter.peek(accountKey(email), perAccount);
        Count ip = counter.peek(addressKey(address), perAddress);
        if (!account.allowed() || !ip.allowed()) {
            long retryAfter = Math.max(account.allowed() ? 0 : account.retryAfterSeconds(),
                                       ip.allowed() ? 0 : ip.retryAfterSeconds());
            throw new DomainException(DomainException.Kind.THROTTLED, "auth.too-many-failures",
                                      "Too many failed sign-ins; try again later", null,
                                      Map.of(DomainException.RETRY_AFTER_SECONDS, retryAfter));
        }
    }

    /** Counts a failure; returns how long to hold the answer back. */
    public Duration recordFailure(String email, String address) {
        Count account = counter.add(accountKey(email), perAccount);
        counter.add(addressKey(address), perAddress);
        long failures = settings.maxFailuresPerAccount() - account.remaining();
        return failures >= settings.slowDownAfter() ? settings.slowDown() : Duration.ZERO;
    }
}
