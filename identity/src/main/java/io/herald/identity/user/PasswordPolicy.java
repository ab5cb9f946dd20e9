package io.herald.identity.user;

import io.herald.identity.IdentityProperties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a password must be: at least {@code herald.security.passwords.min-length} characters, at most
 * 72 bytes (bcrypt's limit), not a well-known password (nor one with digits or symbols added at the
 * end), and not the account's e-mail address.
 */
@Component
public class PasswordPolicy {

    static final int MAX_BYTES = 72;
    private final int minLength;
    private final Set<String> common = new HashSet<>();

    public PasswordPolicy(IdentityProperties properties) {
        this.minLength = properties.passwords().minLength();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new ClassPathResource("identity/common-passwords.txt").getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(common::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Why the password is refused, or empty when it is acceptable. */
    public Optional<String> problem(String password, String email) {
        if (password == null || password.codePointCount(0, password.length()) < minLength) {
            return Optional.of("must be at least " + minLength + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("must be at most " + MAX_BYTES + " bytes");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        String trimmed = lower.replaceAll("[^a-z]+$", "");
        if (common.contains(lower) || common.contains(trimmed) || lower.chars().distinct().count() <= 2) {
            return Optional.of("is too common; choose a less guessable password");
        }
        if (email != null) {
            String local = email.toLowerCase(Locale.ROOT);
            int at = local.indexOf('@');
            if (lower.contains(local) || (at > 3 && lower.contains(local.substring(0, at)))) {
                return Optional.of("must not contain the e-mail address");
            }
        }
        return Optional.empty();
    }
}
