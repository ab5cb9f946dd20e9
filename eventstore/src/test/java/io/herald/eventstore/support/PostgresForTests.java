package io.herald.eventstore.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh database per caller, on the PostgreSQL of {@code HERALD_TEST_DATABASE_URL} (an admin JDBC
 * URL) or, without it, on an embedded PostgreSQL started once per JVM; as the gateway's
 * {@code TestDatabases} does. The databases are dropped when the JVM ends.
 */
public final class PostgresForTests {

    private static String adminUrl;
    private static final List<String> created = new ArrayList<>();

    private PostgresForTests() {
    }

    /** A fresh, empty database; returns its JDBC URL (credentials included). */
    public static synchronized String newDatabase() {
        String admin = adminUrl();
        String name = "herald_es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(admin);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
            if (created.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(PostgresForTests::dropCreated));
            }
            created.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create a test database", e);
        }
        int slash = admin.indexOf('/', "jdbc:postgresql://".length());
        int query = admin.indexOf('?', slash);
        return admin.substring(0, slash + 1) + name + (query >= 0 ? admin.substring(query) : "");
    }

    private static synchronized void dropCreated() {
        try (Connection connection = DriverManager.getConnection(adminUrl);
             Statement statement = connection.createStatement()) {
            for (String name : created) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            // best effort on a shared server
        }
    }

    private static String adminUrl() {
        if (adminUrl == null) {
            String fromEnvironment = System.getenv("HERALD_TEST_DATABASE_URL");
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                adminUrl = fromEnvironment;
            } else {
                try {
                    EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            postgres.close();
                        } catch (Exception ignored) {
                            // shutting down
                        }
                    }));
                    adminUrl = postgres.getJdbcUrl("postgres", "postgres");
                } catch (Exception e) {
                    throw new IllegalStateException("No PostgreSQL for the tests: set HERALD_TEST_DATABASE_URL", e);
                }
            }
        }
        return adminUrl;
    }
}
