package io.herald.eventstore;

import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What other modules may read of the event store, directly: whether events are stored, one event by
 * its id, and the table's name and columns with a {@link #ROW_MAPPER} for a read model's query that
 * joins its own tables with the events ({@link #columns}). They do not name the table or its columns
 * themselves; Axon's storage engine is configured with the same names ({@link AxonSchemaConfiguration}).
 * <p>
 * Indexes of the table (db/migration): primary key {@value #GLOBAL_INDEX}, unique
 * {@value #EVENT_ID}, unique ({@value #AGGREGATE_ID}, sequence_number).
 */
@Component
public class StoredEvents {

    public static final String TABLE = "domain_event_entry";
    public static final String GLOBAL_INDEX = "global_index";
    public static final String EVENT_ID = "event_identifier";
    public static final String AGGREGATE_ID = "aggregate_identifier";
    public static final String PAYLOAD_TYPE = "payload_type";
    public static final String PAYLOAD_REVISION = "payload_revision";
    public static final String PAYLOAD = "payload";
    public static final String META_DATA = "meta_data";
    public static final String TIMESTAMP = "time_stamp";

    /** Reads a {@link StoredEvent} from a row that has the {@link #columns} (by name). */
    public static final RowMapper<StoredEvent> ROW_MAPPER = (rs, row) -> new StoredEvent(
            rs.getLong(GLOBAL_INDEX), rs.getString(PAYLOAD_TYPE), rs.getString(PAYLOAD_REVISION),
            rs.getBytes(PAYLOAD), rs.getBytes(META_DATA), Instant.parse(rs.getString(TIMESTAMP)));

    private final JdbcTemplate jdbc;

    public StoredEvents(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The select list that {@link #ROW_MAPPER} reads, of the event table under {@code alias}. */
    public static String columns(String alias) {
        String a = alias + ".";
        return String.join(", ", a + GLOBAL_INDEX, a + PAYLOAD_TYPE, a + PAYLOAD_REVISION, a + PAYLOAD,
                           a + META_DATA, a + TIMESTAMP);
    }

    /**
     * Those of the event ids that are in the store: committed, or committed by a transaction the
     * caller's transaction waited for (a statement of its own, so read committed sees them). One
     * lookup by the unique event id index, planned for each call with its actual array (a generic
     * plan kept by a server-side prepared statement may be a sequential scan, planned while the
     * table was small).
     */
    public Set<String> existingEventIds(Collection<String> eventIds) {
        Set<String> found = new HashSet<>();
        if (eventIds.isEmpty()) {
            return found;
        }
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select " + EVENT_ID + " from " + TABLE + " where " + EVENT_ID + " = any(?)")) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
                statement.setArray(1, connection.createArrayOf("varchar", eventIds.toArray()));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
            return null;
        });
        return found;
    }

    /** The stored event with this id, if any. */
    public Optional<StoredEvent> byEventId(String eventId) {
        List<StoredEvent> events = jdbc.query("select " + columns("d") + " from " + TABLE + " d where d."
                                                      + EVENT_ID + " = ?", ROW_MAPPER, eventId);
        return events.stream().findFirst();
    }
}
