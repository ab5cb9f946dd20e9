package io.herald.saga.secret;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets Herald generates on first start and shares with every instance on the database through the
 * {@code herald_secret} table: a random candidate is inserted if the name has none yet, then whatever was
 * stored is read back, so concurrent first starts agree and later starts keep the first value (links and
 * signatures made before a restart stay valid).
 */
public final class StoredSecrets {

    private static final Logger log = LoggerFactory.getLogger(StoredSecrets.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoredSecrets() {
    }

    /** 32 random bytes stored under {@code name}. */
    public static byte[] bytes(DataSource dataSource, String name) {
        byte[] candidate = new byte[32];
        RANDOM.nextBytes(candidate);
        return stored(dataSource, name, candidate);
    }

    /** A random text secret (32 random bytes in base64url: 43 characters) stored under {@code name}. */
    public static String text(DataSource dataSource, String name) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        byte[] candidate = Base64.getUrlEncoder().withoutPadding().encodeToString(random)
                .getBytes(StandardCharsets.UTF_8);
        return new String(stored(dataSource, name, candidate), StandardCharsets.UTF_8);
    }

    private static byte[] stored(DataSource dataSource, String name, byte[] candidate) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        int inserted = jdbc.update("insert into herald_secret (name, value, created_at) values (?, ?, now()) "
                                           + "on conflict (name) do nothing", name, candidate);
        byte[] stored = jdbc.queryForObject("select value from herald_secret where name = ?", byte[].class, name);
        if (inserted == 1) {
            log.info("Generated the {} secret and stored it in the database (table herald_secret)", name);
        }
        return stored;
    }
}
