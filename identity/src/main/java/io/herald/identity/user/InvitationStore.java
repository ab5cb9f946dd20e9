package io.herald.identity.user;

import io.herald.identity.Role;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code invitation} table: single-use tokens (stored hashed) with an expiry. */
@Repository
public class InvitationStore {

    public record Invitation(UUID id, String email, Role role, String createdBy, Instant createdAt, Instant expiresAt,
                             Instant acceptedAt) {
    }

    private final JdbcTemplate jdbc;

    public InvitationStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private static Invitation map(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp accepted = rs.getTimestamp("accepted_at");
        return new Invitation(rs.getObject("id", UUID.class), rs.getString("email"), Role.valueOf(rs.getString("role")),
                              rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                              rs.getTimestamp("expires_at").toInstant(), accepted == null ? null : accepted.toInstant());
    }

    public void insert(UUID id, String tokenHash, String email, Role role, String createdBy, Instant now, Instant expiresAt) {
        jdbc.update("insert into invitation (id, token_hash, email, role, created_by, created_at, expires_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?)",
                    id, tokenHash, email, role.name(), createdBy, Timestamp.from(now), Timestamp.from(expiresAt));
    }

    public Optional<Invitation> findForUpdate(String tokenHash) {
        return jdbc.query("select * from invitation where token_hash = ? for update", (rs, row) -> map(rs), tokenHash)
                .stream().findFirst();
    }

    public List<Invitation> findPending(Instant now) {
        return jdbc.query("select * from invitation where accepted_at is null and expires_at > ? order by created_at",
                          (rs, row) -> map(rs), Timestamp.from(now));
    }

    public void markAccepted(UUID id, UUID userId, Instant now) {
        jdbc.update("update invitation set accepted_at = ?, accepted_by = ? where id = ?", Timestamp.from(now), userId, id);
    }

    /** Withdraws a pending invitation; false when there is none with that id. */
    public boolean delete(UUID id) {
        return jdbc.update("delete from invitation where id = ? and accepted_at is null", id) > 0;
    }
}
