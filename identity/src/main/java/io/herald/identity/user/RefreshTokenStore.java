package io.herald.identity.user;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The {@code refresh_token} table: hashed, rotating, grouped in families (one per login). */
@Repository
public class RefreshTokenStore {

    public record Stored(UUID id, UUID familyId, UUID userId, Instant expiresAt, Instant rotatedAt, Instant revokedAt) {
    }

    private final JdbcTemplate jdbc;

    public RefreshTokenStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(UUID id, UUID familyId, UUID userId, String tokenHash, Instant issuedAt, Instant expiresAt) {
        jdbc.update("insert into refresh_token (id, family_id, user_id, token_hash, issued_at, expires_at) "
                            + "values (?, ?, ?, ?, ?, ?)",
                    id, familyId, userId, tokenHash, Timestamp.from(issuedAt), Timestamp.from(expiresAt));
    }

    /** The token with this hash, locked for the rest of the transaction (so one rotation wins). */
    public Optional<Stored> findForUpdate(String tokenHash) {
        return jdbc.query("select id, family_id, user_id, expires_at, rotated_at, revoked_at from refresh_token "
                                  + "where token_hash = ? for update",
                          (rs, row) -> new Stored(rs.getObject("id", UUID.class), rs.getObject("family_id", UUID.class),
                                                  rs.getObject("user_id", UUID.class),
                                                  rs.getTimestamp("expires_at").toInstant(),
                                                  toInstant(rs.getTimestamp("rotated_at")),
                                                  toInstant(rs.getTimestamp("revoked_at"))),
                          tokenHash).stream().findFirst();
    }

    private static Instant toInstant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    public void markRotated(UUID id, Instant now) {
        jdbc.update("update refresh_token set rotated_at = ? where id = ?", Timestamp.from(now), id);
    }

    public void revokeFamily(UUID familyId, Instant now, String reason) {
        jdbc.update("update refresh_token set revoked_at = ?, revoked_reason = ? where family_id = ? and revoked_at is null",
                    Timestamp.from(now), reason, familyId);
    }

    public void revokeAllOfUser(UUID userId, Instant now, String reason) {
        jdbc.update("update refresh_token set revoked_at = ?, revoked_reason = ? where user_id = ? and revoked_at is null",
                    Timestamp.from(now), reason, userId);
    }
}
