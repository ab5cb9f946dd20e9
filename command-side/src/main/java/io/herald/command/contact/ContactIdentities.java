package io.herald.command.contact;

import io.herald.api.contact.ContactConflictException;
import io.herald.eventstore.database.ArrayColumns;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The command side's set-based lookup of contact identities (table {@code contact_identity}): which
 * contact holds an email or an external id. Its unique constraints are what make a duplicate email
 * or external id impossible, also under concurrent requests; every method runs in the caller's
 * transaction (the command's unit of work), so a refused command leaves no trace here either.
 */
@Component
public class ContactIdentities {

    /** The contacts an external id and an email belong to (either may be null). */
    public record Match(String byExternalId, String byEmail) {

        public String target() {
            return byExternalId != null ? byExternalId : byEmail;
        }
    }

    /**
     * A new contact's claim on its identity.
     *
     * @param origin the {@link io.herald.api.contact.ContactsImportedEvent} holding the contact's creation
     *               (imports), or null when the contact's own stream starts with it
     */
    public record Claim(UUID contactId, String externalId, String email, UUID origin) {

        public Claim(UUID contactId, String externalId, String email) {
            this(contactId, externalId, email, null);
        }
    }

    private final JdbcTemplate jdbc;

    public ContactIdentities(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public Match find(String externalId, String email) {
        String byExternalId = null;
        String byEmail = null;
        if (externalId != null) {
            byExternalId = one("select contact_id from contact_identity where external_id = ?", externalId);
        }
        if (email != null) {
            byEmail = one("select contact_id from contact_identity where email = ?", email);
        }
        return new Match(byExternalId, byEmail);
    }

    private String one(String sql, String value) {
        List<String> ids = jdbc.query(sql, (rs, i) -> rs.getString(1), value);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * Claims the identity for a new contact. False when a concurrent (now committed) transaction
     * took the email or the external id first; the caller then resolves again.
     */
    public boolean reserve(String contactId, String externalId, String email) {
        return jdbc.update("insert into contact_identity (contact_id, external_id, email) values (?, ?, ?) "
                                   + "on conflict do nothing", UUID.fromString(contactId), externalId, email) == 1;
    }

    /**
     * Moves a contact's identity to a new email and/or external id.
     *
     * @throws ContactConflictException when another contact holds one of them
     */
    public void update(String contactId, String externalId, String email) {
        Match match = find(externalId, email);
        if (match.byEmail() != null && !match.byEmail().equals(contactId)) {
            throw emailTaken(match.byEmail());
        }
        if (match.byExternalId() != null && !match.byExternalId().equals(contactId)) {
            throw externalIdTaken(match.byExternalId());
        }
        try {
            jdbc.update("update contact_identity set external_id = ?, email = ? where contact_id = ?",
                        externalId, email, UUID.fromString(contactId));
        } catch (DuplicateKeyException e) {
            // a concurrent transaction claimed it between the check and the update
            String message = String.valueOf(e.getMessage());
            throw message.contains("email") ? emailTaken(null) : externalIdTaken(null);
        }
    }

    static ContactConflictException emailTaken(String other) {
        return new ContactConflictException(ContactConflictException.EMAIL_TAKEN, "email",
                                            "Another contact has this email", other);
    }

    static ContactConflictException externalIdTaken(String other) {
        return new ContactConflictException(ContactConflictException.EXTERNAL_ID_TAKEN, "externalId",
                                            "Another contact has this external id", other);
    }

    /** Contact ids by external id, for the given external ids (unknown ones are absent). */
    public Map<String, String> byExternalIds(Collection<String> externalIds) {
        return lookup("external_id", externalIds);
    }

    /** Contact ids by email, for the given (normalised) emails. */
    public Map<String, String> byEmails(Collection<String> emails) {
        return lookup("email", emails);
    }

    /**
     * One index probe per key, whatever the planner knows of the table: as {@code column = any(?)}
     * a never-analysed identity table of 20,000 rows was scanned whole for every tracking request
     * (1.9 ms against 0.5 ms, BENCHMARKS.md).
     */
    private Map<String, String> lookup(String column, Collection<String> values) {
        return KeyLookup.find(jdbc, "select k.v, (select i.contact_id from contact_identity i where i." + column
                                      + " = k.v) from unnest(?::varchar[]) k(v)", "varchar", values);
    }

    /**
     * Claims identities for many new contacts in one statement; returns the ids of the contacts
     * whose claim succeeded (the others collided with an existing or concurrent identity).
     */
    public Set<UUID> reserveAll(List<Claim> claims) {
        Set<UUID> inserted = new HashSet<>();
        if (claims.isEmpty()) {
            return inserted;
        }
        // one order for every writer: concurrent batches then wait for each other instead of deadlocking
        claims = new ArrayList<>(claims);
        claims.sort(java.util.Comparator.comparing(Claim::externalId, java.util.Comparator.nullsLast(String::compareTo))
                            .thenComparing(Claim::email, java.util.Comparator.nullsLast(String::compareTo)));
        List<Claim> ordered = claims;
        jdbc.execute((java.sql.Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into contact_identity (contact_id, external_id, email, origin_event) "
                            + "select i, e, m, o from unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::uuid[]) "
                            + "with ordinality as t(i, e, m, o, n) "
                            + "order by n on conflict do nothing returning contact_id")) {
                ArrayColumns.of(ordered)
                        .column("uuid", String.class, claim -> claim.contactId().toString())
                        .column("varchar", String.class, Claim::externalId)
                        .column("varchar", String.class, Claim::email)
                        .column("uuid", String.class, claim -> claim.origin() == null ? null : claim.origin().toString())
                        .bind(statement, 1);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return null;
        });
        return inserted;
    }

    static List<String> nonNull(Collection<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }
}
