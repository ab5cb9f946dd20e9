package io.herald.command.contact;

import io.herald.eventstore.StoredEvents;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * The event-store identity of a tracked event that carries a client {@code messageId}: its event
 * id is derived from the message id ({@link #of}), so the event store's unique event id is the
 * idempotency key. A repeat is found by looking its id up before storing ({@link #stored}). Two
 * requests storing the same message at the same moment (an SDK's retry racing its original) must
 * not meet on the event store's unique index: that fails the whole transaction, and with it every
 * other event of its group commit. Each first locks its ids ({@link #lock}), so the later one waits
 * until the earlier one has committed and then finds the id stored. The guarantee lasts as long
 * as the event does, and no separate table of message ids is written per event (that claim cost
 * about 14 % of the machine's CPU per tracked event, BENCHMARKS.md).
 * <p>
 * Derived ids are name-based UUIDs (version 3); every other event id is a version 7 UUID, so the two
 * never collide. Events without a {@code messageId} get a version 7 id like any other event.
 */
@Component
public class TrackedEventIds {

    private static final String NAMESPACE = "herald:tracked-event:";

    private final JdbcTemplate jdbc;
    private final StoredEvents storedEvents;

    public TrackedEventIds(DataSource dataSource, StoredEvents storedEvents) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.storedEvents = storedEvents;
    }

    /** The event id of the tracked event with this client message id. */
    public static String of(String messageId) {
        return UUID.nameUUIDFromBytes((NAMESPACE + messageId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Takes a PostgreSQL advisory transaction lock for each id, in one order (by the lock's key), so
     * that two transactions locking overlapping ids cannot deadlock. Held until this transaction
     * ends: a concurrent transaction storing one of these ids is waited for, and a lookup made after
     * this statement ({@link #stored}, a statement of its own and so a snapshot taken after the wait)
     * sees what it stored.
     */
    public void lock(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return;
        }
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select count(pg_advisory_xact_lock(k.key)) from (select distinct hashtextextended("
                            + "'herald.tracked-event:' || id, 0) as key from unnest(?::text[]) as u(id) order by 1) k")) {
                statement.setArray(1, connection.createArrayOf("text", eventIds.toArray()));
                statement.executeQuery().close();
            }
            return null;
        });
    }

    /** Those of the event ids already in the event store (committed, or committed by a transaction this one waited for). */
    public Set<String> stored(Collection<String> eventIds) {
        return storedEvents.existingEventIds(eventIds);
    }
}
