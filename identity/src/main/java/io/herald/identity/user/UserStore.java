package io.herald.identity.user;

import io.herald.identity.Role;
import io.herald.identity.principal.PrincipalCacheInvalidation;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The {@code app_user} table. */
@Repository
public class UserStore {

    /** A user row with its password hash, for login only. */
    public record Credentials(User user, String passwordHash) {
    }

    private static final String COLUMNS =
            "id, email, display_name, roles, active, created_at, last_login_at, password_hash";

    private final JdbcTemplate jdbc;

    private final PrincipalCacheInvalidation principals;

    public UserStore(JdbcTemplate jdbc, PrincipalCacheInvalidation principals) {
        this.principals = principals;
        this.jdbc = jdbc;
    }

    private static final RowMapper<Credentials> MAPPER = (rs, row) -> new Credentials(
            new User(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("display_name"),
                     roles(rs.getArray("roles")), rs.getBoolean("active"), instant(rs, "created_at"),
                     instant(rs, "last_login_at")),
            rs.getString("password_hash"));

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static Set<Role> roles(Array array) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream((String[]) array.getArray()).map(Role::valueOf).forEach(roles::add);
        return roles;
    }

    /** Serialises concurrent registrations so that exactly one first account becomes admin. */
    public void lockRegistrations() {
        jdbc.execute("select pg_advisory_xact_lock(hashtext('herald-registration'))");
    }

    public boolean anyUser() {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists(select 1 from app_user)", Boolean.class));
    }

    public void insert(UUID id, String email, String displayName, String passwordHash, Set<Role> roles, Instant now) {
        jdbc.update("insert into app_user (id, email, display_name, password_hash, roles, active, created_at, updated_at) "
                            + "values (?, ?, ?, ?, ?, true, ?, ?)",
                    id, email, displayName, passwordHash, roleArray(roles), Timestamp.from(now), Timestamp.from(now));
    }

    public Optional<Credentials> findByEmail(String email) {
        return jdbc.query("select " + COLUMNS + " from app_user where lower(email) = lower(?)", MAPPER, email)
                .stream().findFirst();
    }

    public Optional<User> findById(UUID id) {
        return jdbc.query("select " + COLUMNS + " from app_user where id = ?", MAPPER, id)
                .stream().findFirst().map(Credentials::user);
    }

    public List<User> findAll() {
        return jdbc.query("select " + COLUMNS + " from app_user order by created_at, email", MAPPER)
                .stream().map(Credentials::user).toList();
    }

    public long countActiveAdminsOtherThan(UUID id) {
        Long count = jdbc.queryForObject(
                "select count(*) from app_user where active and 'ADMIN' = any(roles) and id <> ?", Long.class, id);
        return count == null ? 0 : count;
    }

    public void lockAdmins() {
        jdbc.execute("select pg_advisory_xact_lock(hashtext('herald-admins'))");
    }

    public void updateRoles(UUID id, Set<Role> roles, Instant now) {
        jdbc.update("update app_user set roles = ?, updated_at = ? where id = ?", roleArray(roles), Timestamp.from(now), id);
        principals.identityChanged();
    }

    public void setActive(UUID id, boolean active, Instant now) {
        jdbc.update("update app_user set active = ?, deactivated_at = ?, updated_at = ? where id = ?",
                    active, active ? null : Timestamp.from(now), Timestamp.from(now), id);
        principals.identityChanged();
    }

    public void recordLogin(UUID id, Instant now) {
        jdbc.update("update app_user set last_login_at = ? where id = ?", Timestamp.from(now), id);
    }

    private String[] roleArray(Set<Role> roles) {
        return roles.stream().map(Enum::name).sorted().toArray(String[]::new);
    }
}
