package io.herald.eventstore.database;

import java.lang.reflect.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Rows bound column by column, one SQL array per column, for statements that write many rows in one round trip
 * with {@code unnest(?::uuid[], ?::varchar[], …)}: one statement and one plan whatever the number of rows, where
 * a JDBC batch would send a statement per row. Each column names its SQL element type (as
 * {@link Connection#createArrayOf} takes it), the Java type of its values and how a row gives its value.
 *
 * <pre>{@code
 * ArrayColumns.of(rows)
 *         .column("uuid", String.class, row -> row.id().toString())
 *         .column("varchar", String.class, Row::email)
 *         .bind(statement, 1);
 * }</pre>
 */
public final class ArrayColumns<T> {

    private final List<T> rows;
    private final List<Column<T, ?>> columns = new ArrayList<>();

    private ArrayColumns(List<T> rows) {
        this.rows = rows;
    }

    public static <T> ArrayColumns<T> of(List<T> rows) {
        return new ArrayColumns<>(rows);
    }

    /** The next column: values of Java type {@code javaType} (the array's component type), SQL type {@code sqlType}. */
    public <E> ArrayColumns<T> column(String sqlType, Class<E> javaType, Function<? super T, ? extends E> value) {
        columns.add(new Column<>(sqlType, javaType, value));
        return this;
    }

    /** Binds the columns, in order, as parameters {@code first}, {@code first + 1}, …; returns the next free index. */
    public int bind(PreparedStatement statement, int first) throws SQLException {
        Connection connection = statement.getConnection();
        int index = first;
        for (Column<T, ?> column : columns) {
            statement.setArray(index++, connection.createArrayOf(column.sqlType(), column.values(rows)));
        }
        return index;
    }

    private record Column<T, E>(String sqlType, Class<E> javaType, Function<? super T, ? extends E> value) {

        Object[] values(List<T> rows) {
            @SuppressWarnings("unchecked")
            E[] values = (E[]) Array.newInstance(javaType, rows.size());
            for (int i = 0; i < values.length; i++) {
                values[i] = value.apply(rows.get(i));
            }
            return values;
        }
    }
}
