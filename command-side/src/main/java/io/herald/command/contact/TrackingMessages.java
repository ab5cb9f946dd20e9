package io.herald.command.contact;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Message ids already stored by the ingestion API (table {@code tracking_message}). A claim is
 * made in the transaction that stores the event, so "stored once" holds across retries,
 * concurrent duplicates and instances: the second insert of an id waits for the first transaction
 * and then finds it taken.
 */
@Component
public class TrackingMessages {

    private final JdbcTemplate jdbc;

    public TrackingMessages(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Claims the ids; returns those that were new (the others were stored before). */
    public Set<String> claim(Collection<String> messageIds) {
        Set<String> claimed = new HashSet<>();
        if (messageIds.isEmpty()) {
            return claimed;
        }
        jdbc.execute((java.sql.Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into tracking_message (message_id) select m from unnest(?::varchar[]) with ordinality as t(m, n) "
                            + "order by n on conflict do nothing returning message_id")) {
                // sorted: concurrent requests sharing ids wait for each other instead of deadlocking
                statement.setArray(1, connection.createArrayOf("varchar", messageIds.stream().sorted().toArray()));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(rs.getString(1));
                    }
                }
            }
            return null;
        });
        return claimed;
    }

    /**
     * Forgets the ids received before {@code cutoff}, in chunks (short transactions, no long lock
     * on the table); a repeat of such an id is then stored as a new event. Returns how many were forgotten.
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
