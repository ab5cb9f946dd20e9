package io.herald.eventstore.database;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Where Herald keeps its data: {@code herald.data-dir} and {@code herald.database.*} (README,
 * "Configuration"). Values that cannot work are refused at start-up, naming the setting.
 *
 * @param dataDir  root of the on-disk state of the embedded mode ({@code HERALD_DATA_DIR}; default {@code ./data})
 * @param database the database
 */
@ConfigurationProperties("herald")
public record HeraldDatabaseProperties(Path dataDir, Database database) {

    public HeraldDatabaseProperties {
        dataDir = dataDir == null || dataDir.toString().isBlank() ? Path.of("./data") : dataDir;
        database = database == null ? new Database(null, null, null, null) : database;
    }

    /** The embedded server's data directory: the configured one, else {@code <data-dir>/postgres}. */
    public Path embeddedDataDirectory() {
        Path configured = database.embedded().dataDirectory();
        return configured != null && !configured.toString().isBlank() ? configured : dataDir.resolve("postgres");
    }

    /**
     * @param url      JDBC URL of an external PostgreSQL ({@code HERALD_DATABASE_URL}); empty: embedded server
     * @param username user for {@code url} ({@code HERALD_DATABASE_USERNAME})
     * @param password password for {@code url} ({@code HERALD_DATABASE_PASSWORD})
     * @param embedded settings of the embedded server
     */
    public record Database(String url, String username, String password, Embedded embedded) {

        public Database {
            embedded = embedded == null ? new Embedded(null, null) : embedded;
        }
    }

    /**
     * @param dataDirectory PostgreSQL data directory ({@code <data-dir>/postgres} by default)
     * @param port          TCP port on 127.0.0.1; 0 picks a free one
     */
    public record Embedded(Path dataDirectory, Integer port) {

        public Embedded {
            port = port == null ? 0 : port;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("herald.database.embedded.port must be 0 (a free port) or a TCP port "
                                                           + "up to 65535 (it is " + port + ")");
            }
        }
    }
}
