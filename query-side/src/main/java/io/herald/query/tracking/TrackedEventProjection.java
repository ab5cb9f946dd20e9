package io.herald.query.tracking;

import io.herald.api.contact.ContactAnonymousIdLinkedEvent;
import io.herald.api.tracking.EventTrackedEvent;
import io.herald.query.contact.Json;
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

/**
 * The tracked-events read model ({@code tracked_event}), shaped for behavioural segment conditions
 * and the contact timeline. Rows of a processor batch are written with one multi-row INSERT; the
 * event's id is the key, so a redelivered or replayed event is written once. (Not its position in
 * the event store: an event read while filling a gap carries the token's position, not its own.)
 */
@Component
@ProcessingGroup(TrackedEventProjection.PROCESSING_GROUP)
class TrackedEventProjection {

    static final String PROCESSING_GROUP = "audience";
    private static final String BUFFER = TrackedEventProjection.class.getName();

    private final JdbcTemplate jdbc;

    TrackedEventProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    private record Row(String eventId, EventTrackedEvent event) {
    }

    @EventHandler
    void on(EventTrackedEvent event, @MessageIdentifier String eventId) {
        UnitOfWorkBuffer.<List<Row>>get(BUFFER, ArrayList::new, this::flush).add(new Row(eventId, event));
    }

    /**
     * A visitor signed in: their events so far become the contact's. Events of the visitor stored
     * after this (or still in this batch's buffer) take the contact from {@code tracked_anonymous_link}
     * when they are written. The link and the visitor's events are in one sequence of this processor
     * ({@link AudienceSequencingPolicy}), so they are never written by two transactions at once.
     */
    @EventHandler
    void on(ContactAnonymousIdLinkedEvent event) {
        jdbc.update("insert into tracked_anonymous_link (anonymous_id, contact_id) values (?, ?::uuid) "
                            + "on conflict (anonymous_id) do nothing",
                    event.anonymousId(), event.contactId());
        jdbc.update("update tracked_event set contact_id = l.contact_id from tracked_anonymous_link l "
                            + "where l.anonymous_id = ? and tracked_event.anonymous_id = l.anonymous_id "
                            + "and tracked_event.contact_id is null",
                    event.anonymousId());
    }

    @ResetHandler
    void reset() {
        jdbc.update("truncate tracked_event, tracked_anonymous_link");
    }

    private void flush(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[] ids = new String[n];
        String[] contacts = new String[n];
        String[] anonymous = new String[n];
        String[] names = new String[n];
        String[] times = new String[n];
        String[] properties = new String[n];
        Boolean[] late = new Boolean[n];
        for (int i = 0; i < n; i++) {
            EventTrackedEvent e = rows.get(i).event();
            ids[i] = rows.get(i).eventId();
            contacts[i] = e.contactId();
            anonymous[i] = e.anonymousId();
            names[i] = e.event();
            times[i] = e.occurredAt().toString();
            properties[i] = Json.write(e.properties() == null ? Map.of() : e.properties());
            late[i] = e.late();
        }
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into tracked_event (event_id, contact_id, anonymous_id, event, occurred_at, properties, late) "
                            + "select e.id, coalesce(e.contact, l.contact_id), e.anonymous, e.name, e.at, e.properties, e.late "
                            + "from unnest(?::uuid[], ?::uuid[], ?::varchar[], ?::varchar[], ?::timestamptz[], ?::jsonb[], "
                            + "?::boolean[]) as e(id, contact, anonymous, name, at, properties, late) "
                            + "left join tracked_anonymous_link l on e.contact is null and l.anonymous_id = e.anonymous "
                            + "on conflict (event_id) do nothing")) {
                statement.setArray(1, connection.createArrayOf("uuid", ids));
                statement.setArray(2, connection.createArrayOf("uuid", contacts));
                statement.setArray(3, connection.createArrayOf("varchar", anonymous));
                statement.setArray(4, connection.createArrayOf("varchar", names));
                statement.setArray(5, connection.createArrayOf("timestamptz", times));
                statement.setArray(6, connection.createArrayOf("jsonb", properties));
                statement.setArray(7, connection.createArrayOf("bool", late));
                statement.executeUpdate();
            }
            return null;
        });
    }
}
