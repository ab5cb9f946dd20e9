package io.herald.saga.unsubscribe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The key unsubscribe links are signed with: {@code herald.delivery.unsubscribe.secret} when set
 * (at least 32 characters), otherwise 32 random bytes generated on first start and kept in the
 * database (table {@code herald_secret}), so every instance on the database signs and verifies
 * with the same key and links keep working across restarts.
 */
final class UnsubscribeSecret {

    static final String NAME = "unsubscribe-link";
    static final int MIN_CONFIGURED_LENGTH = 32;
    private static final Logger log = LoggerFactory.getLogger(UnsubscribeSecret.class);

    private UnsubscribeSecret() {
    }

    static byte[] resolve(String configured, DataSource dataSource) {
        if (configured != null && !configured.isBlank()) {
            if (configured.length() < MIN_CONFIGURED_LENGTH) {
                throw new IllegalStateException("herald.delivery.unsubscribe.secret (HERALD_UNSUBSCRIBE_SECRET) must have at least "
                                                + MIN_CONFIGURED_LENGTH + " characters");
            }
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return fromDatabase(dataSource);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read or store the unsubscribe link secret (table herald_secret)", e);
        }
    }

    /** Insert-if-absent (a concurrent first start of another instance loses the race harmlessly), then read what won. */
    private static byte[] fromDatabase(DataSource dataSource) throws SQLException {
        byte[] candidate = new byte[32];
        new SecureRandom().nextBytes(candidate);
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                int inserted;
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into herald_secret (name, value, created_at) values (?, ?, now()) on conflict (name) do nothing")) {
                    insert.setString(1, NAME);
                    insert.setBytes(2, candidate);
                    inserted = insert.executeUpdate();
                }
                try (PreparedStatement select = connection.prepareStatement("select value from herald_secret where name = ?")) {
                    select.setString(1, NAME);
                    try (ResultSet rows = select.executeQuery()) {
                        if (!rows.next()) {
                            throw new IllegalStateException("The unsubscribe link secret vanished from herald_secret");
                        }
                        if (inserted == 1) {
                            log.info("Generated the unsubscribe link secret and stored it in the database");
                        }
                        return rows.getBytes(1);
                    }
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }
}
