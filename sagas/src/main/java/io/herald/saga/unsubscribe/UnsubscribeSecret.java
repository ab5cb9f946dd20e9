package io.herald.saga.unsubscribe;

import io.herald.saga.secret.StoredSecrets;
import org.springframework.dao.DataAccessException;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;

/**
 * The key unsubscribe links are signed with: {@code herald.delivery.unsubscribe.secret} when set
 * (at least 32 characters), otherwise 32 random bytes generated on first start and kept in the
 * database (table {@code herald_secret}), so every instance on the database signs and verifies
 * with the same key and links keep working across restarts.
 */
public final class UnsubscribeSecret {

    static final String NAME = "unsubscribe-link";
    static final int MIN_CONFIGURED_LENGTH = 32;

    private UnsubscribeSecret() {
    }

    public static byte[] resolve(String configured, DataSource dataSource) {
        if (configured != null && !configured.isBlank()) {
            if (configured.length() < MIN_CONFIGURED_LENGTH) {
                throw new IllegalStateException("herald.delivery.unsubscribe.secret (HERALD_UNSUBSCRIBE_SECRET) must have at least "
                                                + MIN_CONFIGURED_LENGTH + " characters");
            }
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return StoredSecrets.bytes(dataSource, NAME);
        } catch (DataAccessException e) {
            throw new IllegalStateException("Cannot read or store the unsubscribe link secret (table herald_secret)", e);
        }
    }
}
