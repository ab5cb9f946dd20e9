package io.herald.command.contact;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.Collection;
import java.util.Set;

/**
 * Message ids of identify calls already applied (table {@code tracking_message}). A claim is made
 * in the transaction that applies the call, so "applied once" holds across retries, concurrent
 * duplicates and instances: the second insert of an id waits for the first transaction and then
 * finds it taken. (Tracked events need no claim: their event id is derived from the message id,
 * {@link TrackedEventIds}; they only look up the claims made for them before that, {@link #claimed}.)
 */
@Component
public class TrackingMessages {

    private final JdbcTemplate jdbc;

    public TrackingMessages(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * Forgets the ids received before {@code cutoff}, in chunks (short transactions, no long lock
     * on the table); a repeat of such an id is then applied again. Returns how many were forgotten.
     */
    public long forgetReceivedBefore(java.time.Instant cutoff) {
        long forgotten = 0;
        int deleted;
        do {
            deleted = jdbc.update("delete from tracking_message where ctid = any(array("
                                          + "select ctid from tracking_message where received_at < ? limit 10000))",
                                  java.sql.Timestamp.from(cutoff));
            forgotten += deleted;
        } while (deleted > 0);
        return forgotten;
    }

    /**
     * Those of the ids claimed here. Tracked events looked their ids up here too until their event
     * ids were derived from them; checking them here as well keeps a repeat of an event received
     * before that change a duplicate until its claim is pruned.
     */
    public Set<String> claimed(Collection<String> messageIds) {
        return KeyLookup.find(jdbc, "select message_id, message_id from tracking_message where message_id = any(?)",
                              "varchar", messageIds).keySet();
    }

    public boolean claim(String messageId) {
        return jdbc.update("insert into tracking_message (message_id) values (?) on conflict do nothing",
                           messageId) == 1;
    }
}
