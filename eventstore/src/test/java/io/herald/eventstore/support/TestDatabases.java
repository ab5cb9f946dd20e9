package io.herald.eventstore.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server tests run against, chosen once per JVM in this order:
 * <ol>
 *   <li>{@code HERALD_TEST_DATABASE_URL} (an admin JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}),</li>
 *   <li>a Testcontainers PostgreSQL when a Docker engine answers,</li>
 *   <li>an embedded PostgreSQL (zonky) started in-process.</li>
 * </ol>
 * Every caller of {@link #newDatabase()} gets a database of its own on that server.
 */
public final class TestDatabases {

    private static final Logger log = LoggerFactory.getLogger(TestDatabases.class);
    private static String adminUrl;
    private static final java.util.List<String> created = new java.util.ArrayList<>();

    private TestDatabases() {
    }

    /** A fresh, empty database; returns its JDBC URL (credentials included). */
    public static synchronized String newDatabase() {
        String admin = adminUrl();
        String name = "herald_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(admin);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
            if (created.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropCreated));
            }
            created.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database on " + admin, e);
        }
        return withDatabase(admin, name);
    }

    /** Best effort: leave no test databases behind on a shared server. */
    private static synchronized void dropCreated() {
        try (Connection connection = DriverManager.getConnection(adminUrl);
             Statement statement = connection.createStatement()) {
            for (String name : created) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            log.debug("Could not drop test databases", e);
        }
    }

    public static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query >= 0 ? url.substring(query) : "");
    }

    private static String adminUrl() {
        if (adminUrl != null) {
            return adminUrl;
        }
        String fromEnvironment = System.getenv("HERALD_TEST_DATABASE_URL");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            log.info("Tests use the PostgreSQL from HERALD_TEST_DATABASE_URL");
            adminUrl = fromEnvironment;
        } else if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            log.info("Tests use a Testcontainers PostgreSQL");
            adminUrl = container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
                    + "user=" + container.getUsername() + "&password=" + container.getPassword();
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
                log.info("Tests use an embedded PostgreSQL on port {}", postgres.getPort());
                adminUrl = postgres.getJdbcUrl("postgres", "postgres");
            } catch (Exception e) {
                throw new IllegalStateException("No PostgreSQL for the tests: set HERALD_TEST_DATABASE_URL", e);
            }
        }
        return adminUrl;
    }

    /** Whether a Docker engine answers (and {@code HERALD_TEST_DOCKER} is not {@code false}). */
    public static boolean dockerAvailable() {
        if ("false".equalsIgnoreCase(System.getenv("HERALD_TEST_DOCKER"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
