package io.herald.query.tracking;

import io.herald.api.contact.ContactAnonymousIdLinkedEvent;
import io.herald.api.tracking.EventTrackedEvent;
import io.herald.eventstore.database.ArrayColumns;
import io.herald.query.QuerySideProcessing;
import io.herald.eventstore.database.Json;
import io.herald.query.contact.UnitOfWorkBuffer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The tracked-events read model ({@code tracked_event}), shaped for behavioural segment conditions
 * and the contact timeline.
 * <p>
 * Its processing group, {@value #PROCESSING_GROUP}, is a subscribing processor (QuerySideProcessing): the
 * rows are written in the transaction of the tracking command that stores the events, with one
 * multi-row INSERT per command. A tracked event is in the read model the moment its request is
 * answered, and the events are never read back from the store and deserialised again to be projected
 * (at 10,000 events/s that read-back was a third of the JVM's work). To rebuild the table from
 * history, run the group once as a streaming processor (see the README): the event's id is the key,
 * so an event seen twice is written once.
 * <p>
 * A visitor's sign-in ({@link ContactAnonymousIdLinkedEvent}) makes their earlier events the
 * contact's; events of the visitor written later take the contact from {@code tracked_anonymous_link}.
 * A link and a visitor's anonymous events written by two transactions at once could each miss the
 * other's rows, so both take a transaction lock per visitor first (PostgreSQL advisory locks, in
 * sorted order): one of them waits until the other has committed and then sees its rows.
 */
@Component
@ProcessingGroup(TrackedEventProjection.PROCESSING_GROUP)
class TrackedEventProjection {

    static final String PROCESSING_GROUP = QuerySideProcessing.TRACKED_EVENTS;
    private static final String BUFFER = TrackedEventProjection.class.getName();

    private final JdbcTemplate jdbc;

    TrackedEventProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    private record Row(String eventId, EventTrackedEvent event) {
    }

    /** What one unit of work writes, in one go just before it commits. */
    private static final class Writes {
        final List<ContactAnonymousIdLinkedEvent> links = new ArrayList<>();
        final List<Row> rows = new ArrayList<>();
    }

    private Writes writes() {
        return UnitOfWorkBuffer.get(BUFFER, Writes::new, this::flush);
    }

    @EventHandler
    void on(EventTrackedEvent event, @MessageIdentifier String eventId) {
        writes().rows.add(new Row(eventId, event));
    }

    /** A visitor signed in: their events so far become the contact's (the first link of a visitor wins). */
    @EventHandler
    void on(ContactAnonymousIdLinkedEvent event) {
        writes().links.add(event);
    }

    @ResetHandler
    void reset() {
        jdbc.update("truncate tracked_event, tracked_anonymous_link");
    }

    private void flush(Writes writes) {
        lockVisitors(writes);
        for (ContactAnonymousIdLinkedEvent link : writes.links) {
            jdbc.update("insert into tracked_anonymous_link (anonymous_id, contact_id) values (?, ?::uuid) "
                                + "on conflict (anonymous_id) do nothing",
                        link.anonymousId(), link.contactId());
            jdbc.update("update tracked_event set contact_id = l.contact_id from tracked_anonymous_link l "
                                + "where l.anonymous_id = ? and tracked_event.anonymous_id = l.anonymous_id "
                                + "and tracked_event.contact_id is null",
                        link.anonymousId());
        }
        insert(writes.rows);
    }

    /** The visitors whose link or unattributed events this transaction writes, locked in one order. */
    private void lockVisitors(Writes writes) {
        TreeSet<String> visitors = new TreeSet<>();
        writes.links.forEach(link -> visitors.add(link.anonymousId()));
        for (Row row : writes.rows) {
            if (row.event().contactId() == null && row.event().anonymousId() != null) {
                visitors.add(row.event().anonymousId());
            }
        }
        if (visitors.isEmpty()) {
            return;
        }
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select count(pg_advisory_xact_lock(hashtextextended('herald.visitor:' || v.id, 0))) "
                            + "from (select id from unnest(?::text[]) with ordinality as u(id, n) order by n) v")) {
                statement.setArray(1, connection.createArrayOf("text", visitors.toArray()));
                statement.executeQuery().close();
            }
            return null;
        });
    }

    private void insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into tracked_event (event_id, contact_id, anonymous_id, event, occurred_at, properties, late) "
                            + "select e.id, coalesce(e.contact, l.contact_id), e.anonymous, e.name, e.at, e.properties, e.late "
                            + "from unnest(?::uuid[], ?::uuid[], ?::varchar[], ?::varchar[], ?::timestamptz[], ?::jsonb[], "
                            + "?::boolean[]) as e(id, contact, anonymous, name, at, properties, late) "
                            + "left join tracked_anonymous_link l on e.contact is null and l.anonymous_id = e.anonymous "
                            + "on conflict (event_id) do nothing")) {
                ArrayColumns.of(rows)
                        .column("uuid", String.class, Row::eventId)
                        .column("uuid", String.class, row -> row.event().contactId())
                        .column("varchar", String.class, row -> row.event().anonymousId())
                        .column("varchar", String.class, row -> row.event().event())
                        .column("timestamptz", String.class, row -> row.event().occurredAt().toString())
                        .column("jsonb", String.class, row -> Json.write(row.event().properties() == null
                                ? Map.of() : row.event().properties()))
                        .column("bool", Boolean.class, row -> row.event().late())
                        .bind(statement, 1);
                statement.executeUpdate();
            }
            return null;
        });
    }
}
