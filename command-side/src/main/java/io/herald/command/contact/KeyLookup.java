package io.herald.command.contact;

import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Looks many keys up in one statement ({@code ... where key = any(?)}, or one row per key with a
 * null value for the missing ones) and returns value by key.
 * <p>
 * The statement is planned for each call with its actual array. A server-side prepared statement
 * would, after five calls, keep one generic plan per connection until the table is analysed again:
 * planned while the table was still empty that plan is a sequential scan, and with autovacuum off
 * (as on our CI machines) an import then scanned the whole identity table for every batch, slower
 * with every batch (625 rows/s instead of 10,000 in the benchmark with 400-row batches).
 */
final class KeyLookup {

    private KeyLookup() {
    }

    /** {@code sql} selects (key, value) with one array parameter of {@code arrayType}. */
    static Map<String, String> find(JdbcTemplate jdbc, String sql, String arrayType, Collection<String> keys) {
        Map<String, String> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = plannedPerCall(connection.prepareStatement(sql))) {
                statement.setArray(1, connection.createArrayOf(arrayType, keys.toArray()));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String value = rs.getString(2);
                        if (value != null) { // a key that is not there, when the statement answers every key
                            found.put(rs.getString(1), value);
                        }
                    }
                }
            }
            return null;
        });
        return found;
    }

    private static PreparedStatement plannedPerCall(PreparedStatement statement) throws SQLException {
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        return statement;
    }
}
