package io.herald.command.contact;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;

/**
 * Message ids of identify calls already applied (table {@code tracking_message}). A claim is made
 * in the transaction that applies the call, so "applied once" holds across retries, concurrent
 * duplicates and instances: the second insert of an id waits for the first transaction and then
 * finds it taken. (Tracked events need no claim: their event id is derived from the message id,
 * {@link TrackedEventIds}.)
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

    public boolean claim(String messageId) {
        return jdbc.update("insert into tracking_message (message_id) values (?) on conflict do nothing",
                           messageId) == 1;
    }
}
