package io.herald.saga.delivery;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;

/** Small helpers the delivery tables' statements share. */
final class StoreSql {

    private StoreSql() {
    }

    static Array array(Connection connection, String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
