package io.herald.eventstore.database;

import io.herald.eventstore.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Many rows in one statement through {@code unnest}, on a real PostgreSQL: values, nulls and order survive. */
class ArrayColumnsIT {

    record Row(UUID id, String name, Long count, Boolean flag, Instant at, String json) {
    }

    @Test
    void bindsOneArrayPerColumn_andUnnestGivesTheRowsBack() throws Exception {
        List<Row> rows = List.of(
                new Row(UUID.randomUUID(), "plain", 1L, true, Instant.parse("2026-12-07T01:02:03.456Z"), "{\"a\":1}"),
                new Row(UUID.randomUUID(), null, null, null, null, null),
                new Row(UUID.randomUUID(), "quotes ' \" \\ , {braces} and NULL", Long.MAX_VALUE, false,
                        Instant.parse("1970-01-01T00:00:00Z"), "{\"text\":\"with \\\"quotes\\\" and , commas\"}"),
                new Row(UUID.randomUUID(), "ünïcödé ✓", -5L, true, Instant.parse("2030-06-30T23:59:59Z"), "[]"));
        try (Connection connection = DriverManager.getConnection(TestDatabases.newDatabase());
             Statement ddl = connection.createStatement()) {
            ddl.execute("create table t (n bigint, id uuid, name varchar(200), count bigint, flag boolean, "
                                + "at timestamptz, doc jsonb)");
            int next;
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into t select n, id, name, count, flag, at, doc from unnest(?::uuid[], ?::varchar[], "
                            + "?::bigint[], ?::boolean[], ?::timestamptz[], ?::jsonb[]) with ordinality "
                            + "as u(id, name, count, flag, at, doc, n)")) {
                next = ArrayColumns.of(rows)
                        .column("uuid", String.class, row -> row.id().toString())
                        .column("varchar", String.class, Row::name)
                        .column("bigint", Long.class, Row::count)
                        .column("bool", Boolean.class, Row::flag)
                        .column("timestamptz", String.class, row -> row.at() == null ? null : row.at().toString())
                        .column("jsonb", String.class, Row::json)
                        .bind(insert, 1);
                assertThat(insert.executeUpdate()).isEqualTo(rows.size());
            }
            assertThat(next).isEqualTo(7);
            List<Row> back = new ArrayList<>();
            try (ResultSet rs = ddl.executeQuery("select id, name, count, flag, at, doc::text from t order by n")) {
                while (rs.next()) {
                    java.sql.Timestamp at = rs.getTimestamp(5);
                    back.add(new Row(rs.getObject(1, UUID.class), rs.getString(2), (Long) rs.getObject(3),
                                     (Boolean) rs.getObject(4), at == null ? null : at.toInstant(), rs.getString(6)));
                }
            }
            assertThat(back).extracting(Row::id, Row::name, Row::count, Row::flag, Row::at)
                    .containsExactlyElementsOf(rows.stream().map(r -> org.assertj.core.groups.Tuple.tuple(
                            r.id(), r.name(), r.count(), r.flag(), r.at())).toList());
            assertThat(back.get(0).json()).isEqualTo("{\"a\": 1}");
            assertThat(back.get(1).json()).isNull();
            assertThat(back.get(2).json()).isEqualTo("{\"text\": \"with \\\"quotes\\\" and , commas\"}");
        }
    }

    @Test
    void noRows_bindsEmptyArrays() throws Exception {
        try (Connection connection = DriverManager.getConnection(TestDatabases.newDatabase());
             PreparedStatement select = connection.prepareStatement(
                     "select count(*) from unnest(?::uuid[], ?::varchar[]) as u(id, name)")) {
            ArrayColumns.of(List.<Row>of())
                    .column("uuid", String.class, row -> row.id().toString())
                    .column("varchar", String.class, Row::name)
                    .bind(select, 1);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }
}
