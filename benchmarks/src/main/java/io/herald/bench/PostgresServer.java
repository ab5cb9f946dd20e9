package io.herald.bench;

import io.herald.eventstore.database.EmbeddedPostgresServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The PostgreSQL server the benchmark runs against: the local one (default) or an embedded zonky
 * server started here with the application's durable settings (fsync on, synchronous_commit on).
 * Every benchmark case gets a fresh database ({@code bench_<case>_<timestamp>}), dropped afterwards.
 */
final class PostgresServer implements AutoCloseable {

    private final String adminUrl;
    private final String user;
    private final String password;
    private final EmbeddedPostgresServer embedded;
    private final Path embeddedDirectory;
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    private PostgresServer(String adminUrl, String user, String password, EmbeddedPostgresServer embedded,
                           Path embeddedDirectory) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        this.embeddedDirectory = embeddedDirectory;
    }

    static PostgresServer open(BenchOptions options) throws IOException {
        if (options.database().equals("embedded")) {
            Path directory = Files.createTempDirectory("herald-bench-pg");
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory.resolve("data"), 0);
            String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres";
            return new PostgresServer(url, "postgres", "", server, directory);
        }
        return new PostgresServer(options.pgUrl(), options.pgUser(), options.pgPassword(), null, null);
    }

    String adminUrl() {
        return adminUrl;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** JDBC URL of database {@code name} on this server. */
    String url(String name) {
        int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + name + (query > 0 ? adminUrl.substring(query) : "");
    }

    Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(database == null ? adminUrl : url(database), props);
    }

    void create(String name) throws SQLException {
        try (Connection c = connect(null); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        created.add(name);
    }

    void drop(String name) throws SQLException {
        try (Connection c = connect(null); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        created.remove(name);
    }

    /** Drops what this run created and has not dropped yet (on an interrupted run; not with --keep-databases). */
    void dropLeftovers() {
        for (String name : List.copyOf(created)) {
            try {
                drop(name);
            } catch (SQLException e) {
                System.err.println("could not drop " + name + ": " + e.getMessage());
            }
        }
    }

    /** "fsync=on, synchronous_commit=on, ..." as the server reports them. */
    String settings() {
        try (Connection c = connect(null); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select name, setting from pg_settings where name in "
                     + "('fsync','synchronous_commit','wal_sync_method','full_page_writes','commit_delay',"
                     + "'shared_buffers','max_connections','server_version') order by name")) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append(rs.getString(1)).append('=').append(rs.getString(2));
            }
            return sb.toString();
        } catch (SQLException e) {
            return "(settings unavailable: " + e.getMessage() + ")";
        }
    }

    String describe() {
        return embedded != null ? "embedded zonky PostgreSQL on 127.0.0.1:" + embedded.port()
                : "PostgreSQL at " + adminUrl;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
            try (Stream<Path> files = Files.walk(embeddedDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
