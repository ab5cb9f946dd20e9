package io.herald.identity.apikey;

import io.herald.identity.principal.PrincipalCacheInvalidation;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The {@code api_key} table. */
@Repository
public class ApiKeyStore {

    /** A key as listed (never its secret). */
    public record ApiKey(UUID id, String prefix, String label, Set<String> scopes, String createdBy, Instant createdAt,
                         Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {
    }

    public record WithHash(ApiKey key, String secretHash) {
    }

    private final JdbcTemplate jdbc;

    private final PrincipalCacheInvalidation principals;

    public ApiKeyStore(JdbcTemplate jdbc, PrincipalCacheInvalidation principals) {
        this.principals = principals;
        this.jdbc = jdbc;
    }

    private static final RowMapper<WithHash> MAPPER = (rs, row) -> new WithHash(new ApiKey(
            rs.getObject("id", UUID.class), rs.getString("prefix"), rs.getString("label"),
            new LinkedHashSet<>(Arrays.asList((String[]) rs.getArray("scopes").getArray())),
            rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
            instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("last_used_at")),
            instant(rs.getTimestamp("revoked_at"))), rs.getString("secret_hash"));

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    public void insert(UUID id, String prefix, String secretHash, String label, Set<String> scopes, String createdBy,
                       Instant now, Instant expiresAt) {
        jdbc.update("insert into api_key (id, prefix, secret_hash, label, scopes, created_by, created_at, expires_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?)",
                    id, prefix, secretHash, label, scopes.toArray(String[]::new), createdBy, Timestamp.from(now),
                    expiresAt == null ? null : Timestamp.from(expiresAt));
    }

    public Optional<WithHash> findByPrefix(String prefix) {
        return jdbc.query("select * from api_key where prefix = ?", MAPPER, prefix).stream().findFirst();
    }

    public List<ApiKey> findAll() {
        return jdbc.query("select * from api_key order by created_at desc", MAPPER).stream().map(WithHash::key).toList();
    }

    public boolean revoke(UUID id, Instant now) {
        boolean revoked = jdbc.update("update api_key set revoked_at = ? where id = ? and revoked_at is null",
                                      Timestamp.from(now), id) > 0;
        principals.identityChanged();
        return revoked;
    }

    public boolean exists(UUID id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists(select 1 from api_key where id = ?)", Boolean.class, id));
    }

    public void touch(UUID id, Instant now) {
        jdbc.update("update api_key set last_used_at = ? where id = ?", Timestamp.from(now), id);
    }
}
