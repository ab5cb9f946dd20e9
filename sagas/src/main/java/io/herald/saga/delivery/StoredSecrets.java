package io.herald.saga.delivery;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets generated on first start and shared by every instance through the {@code herald_secret}
 * table (insert if absent, then read what won, so concurrent first starts agree).
 */
final class StoredSecrets {

    private StoredSecrets() {
    }

    /** A random text secret (base64url, 43 characters) stored under {@code name}. */
    static String text(DataSource dataSource, String name) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String candidate = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        jdbc.update("insert into herald_secret (name, value, created_at) values (?, ?, now()) "
                            + "on conflict (name) do nothing", name, candidate.getBytes(StandardCharsets.UTF_8));
        byte[] stored = jdbc.queryForObject("select value from herald_secret where name = ?", byte[].class, name);
        return new String(stored, StandardCharsets.UTF_8);
    }
}
