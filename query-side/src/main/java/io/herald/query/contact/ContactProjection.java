package io.herald.query.contact;

import io.herald.eventstore.database.Json;
import io.herald.api.contact.ContactAttributesChangedEvent;
import io.herald.api.contact.ContactConsentChangedEvent;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactProfile;
import io.herald.api.contact.ContactProfileChangedEvent;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.ContactsImportedEvent;
import io.herald.api.contact.FindContactQuery;
import io.herald.eventstore.database.ArrayColumns;
import io.herald.query.QuerySideProcessing;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The contact read model ({@code contact}). Writes are collected per processor batch and flushed
 * as one multi-row INSERT for new contacts and one JDBC batch of updates, in event order. Every
 * update is guarded by the row's version (the last sequence number applied), so redelivered or
 * replayed events change nothing. Changes are pushed to subscription queries of watched contacts
 * (read-your-writes of the API).
 * <p>
 * All audience read models (contacts, tracked events, imports, segment definitions) share the
 * processing group {@code audience}: every processor reads the whole event stream, and at tracking
 * volumes one reader instead of four is a large part of what the CPU can spare.
 */
@Component
@ProcessingGroup(ContactProjection.PROCESSING_GROUP)
class ContactProjection {

    static final String PROCESSING_GROUP = QuerySideProcessing.AUDIENCE;
    private static final String BUFFER = ContactProjection.class.getName();

    private static final String UPDATE = "update contact set "
            + "external_id = case when ? then ? else external_id end, "
            + "email = case when ? then ? else email end, "
            + "phone = case when ? then ? else phone end, "
            + "time_zone = case when ? then ? else time_zone end, "
            + "locale = case when ? then ? else locale end, "
            + "attributes = (attributes || ?::jsonb) - ?::text[], "
            + "consent = consent || ?::jsonb, "
            + "updated_at = ?, version = ? "
            + "where id = ? and version < ?";

    private final JdbcTemplate jdbc;
    private final QueryUpdateEmitter updateEmitter;

    ContactProjection(DataSource dataSource, QueryUpdateEmitter updateEmitter) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.updateEmitter = updateEmitter;
    }

    /** A new row; {@code origin} is the import batch's event that holds its creation, if any. */
    private record Insert(UUID id, ContactProfile profile, String attributes, String consent, Instant at, long version,
                          String origin) {
    }

    private record Update(UUID id, ContactProfile profile, String attributesSet, String[] attributesRemoved,
                          String consent, Instant at, long version) {
    }

    private static final class Buffer {
        final List<Insert> inserts = new ArrayList<>();
        final List<Update> updates = new ArrayList<>();
        final Set<UUID> touched = new LinkedHashSet<>();
    }

    private Buffer buffer() {
        return UnitOfWorkBuffer.get(BUFFER, Buffer::new, this::flush);
    }

    @EventHandler
    void on(ContactCreatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        insert(buffer(), event, at, sequence, null);
    }

    /** An import batch's contacts: each row as its creation would write it (version 0). */
    @EventHandler
    void on(ContactsImportedEvent event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Buffer buffer = buffer();
        for (ContactsImportedEvent.ImportedContact contact : event.contacts()) {
            insert(buffer, event.creationOf(contact), at, 0L, eventId);
        }
    }

    private static void insert(Buffer buffer, ContactCreatedEvent event, Instant at, long version, String origin) {
        UUID id = UUID.fromString(event.contactId());
        buffer.inserts.add(new Insert(id, event.profile(), Json.write(event.attributes() == null ? Map.of() : event.attributes()),
                                      Json.write(event.consent() == null ? Map.of() : event.consent()), at, version,
                                      origin));
        buffer.touched.add(id);
    }

    @EventHandler
    void on(ContactProfileChangedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(new Update(UUID.fromString(event.contactId()), event.profile(), "{}", new String[0], "{}", at, sequence));
    }

    @EventHandler
    void on(ContactAttributesChangedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        String[] removed = event.removed() == null ? new String[0] : event.removed().toArray(String[]::new);
        update(new Update(UUID.fromString(event.contactId()), null,
                          Json.write(event.set() == null ? Map.of() : event.set()), removed, "{}", at, sequence));
    }

    @EventHandler
    void on(ContactConsentChangedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        update(new Update(UUID.fromString(event.contactId()), null, "{}", new String[0],
                          Json.write(Map.of(event.channel().name(), event.consent())), at, sequence));
    }

    private void update(Update update) {
        Buffer buffer = buffer();
        buffer.updates.add(update);
        buffer.touched.add(update.id());
    }

    @ResetHandler
    void reset() {
        jdbc.update("truncate contact");
    }

    private void flush(Buffer buffer) {
        jdbc.execute((Connection connection) -> {
            insert(connection, buffer.inserts);
            update(connection, buffer.updates);
            return null;
        });
        emitToWatchers(buffer.touched);
    }

    private static void insert(Connection connection, List<Insert> inserts) throws SQLException {
        if (inserts.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "insert into contact (id, external_id, email, phone, time_zone, locale, attributes, consent, "
                        + "created_at, updated_at, version, origin_event) "
                        + "select id, ext, email, phone, tz, loc, attrs::jsonb, consent::jsonb, at, at, v, o "
                        + "from unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], "
                        + "?::text[], ?::text[], ?::timestamptz[], ?::bigint[], ?::uuid[]) "
                        + "as t(id, ext, email, phone, tz, loc, attrs, consent, at, v, o) "
                        + "on conflict (id) do nothing")) {
            ArrayColumns.of(inserts)
                    .column("uuid", String.class, insert -> insert.id().toString())
                    .column("varchar", String.class, insert -> profile(insert).externalId())
                    .column("varchar", String.class, insert -> profile(insert).email())
                    .column("varchar", String.class, insert -> profile(insert).phone())
                    .column("varchar", String.class, insert -> profile(insert).timeZone())
                    .column("varchar", String.class, insert -> profile(insert).locale())
                    .column("text", String.class, Insert::attributes)
                    .column("text", String.class, Insert::consent)
                    .column("timestamptz", String.class, insert -> insert.at().toString())
                    .column("bigint", Long.class, Insert::version)
                    .column("uuid", String.class, Insert::origin)
                    .bind(statement, 1);
            statement.executeUpdate();
        }
    }

    private static ContactProfile profile(Insert insert) {
        return insert.profile() == null ? ContactProfile.EMPTY : insert.profile();
    }

    private static void update(Connection connection, List<Update> updates) throws SQLException {
        if (updates.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPDATE)) {
            for (Update u : updates) {
                ContactProfile p = u.profile();
                boolean profile = p != null;
                int i = 1;
                statement.setBoolean(i++, profile);
                statement.setString(i++, profile ? p.externalId() : null);
                statement.setBoolean(i++, profile);
                statement.setString(i++, profile ? p.email() : null);
                statement.setBoolean(i++, profile);
                statement.setString(i++, profile ? p.phone() : null);
                statement.setBoolean(i++, profile);
                statement.setString(i++, profile ? p.timeZone() : null);
                statement.setBoolean(i++, profile);
                statement.setString(i++, profile ? p.locale() : null);
                statement.setString(i++, u.attributesSet());
                statement.setArray(i++, connection.createArrayOf("text", u.attributesRemoved()));
                statement.setString(i++, u.consent());
                statement.setObject(i++, OffsetDateTime.ofInstant(u.at(), ZoneOffset.UTC));
                statement.setLong(i++, u.version());
                statement.setObject(i++, u.id());
                statement.setLong(i, u.version());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Pushes the new state of contacts someone is waiting for (the API after a command); nobody watching, no reads. */
    private void emitToWatchers(Set<UUID> touched) {
        Set<String> watched = new HashSet<>();
        for (SubscriptionQueryMessage<?, ?, ?> subscription : updateEmitter.activeSubscriptions()) {
            if (subscription.getPayload() instanceof FindContactQuery query) {
                watched.add(query.contactId());
            }
        }
        if (watched.isEmpty()) {
            return;
        }
        for (UUID id : touched) {
            if (watched.contains(id.toString())) {
                List<ContactView> views = jdbc.query("select " + ContactRows.COLUMNS + " from contact c where c.id = ?",
                                                     ContactRows.MAPPER, id);
                if (!views.isEmpty()) {
                    // read inside the transaction, pushed once it has committed (a caller then reads it back)
                    ContactView view = views.get(0);
                    org.axonframework.messaging.unitofwork.CurrentUnitOfWork.get().afterCommit(
                            u -> updateEmitter.emit(FindContactQuery.class, q -> q.contactId().equals(view.id()), view));
                }
            }
        }
    }
}
