package io.herald.eventstore.database;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Where Herald keeps its data.
 *
 * @param url      JDBC URL of an external PostgreSQL ({@code HERALD_DATABASE_URL}); empty: embedded server
 * @param username user for {@code url} ({@code HERALD_DATABASE_USERNAME})
 * @param password password for {@code url} ({@code HERALD_DATABASE_PASSWORD})
 * @param embedded settings of the embedded server
 */
@ConfigurationProperties("herald.database")
public record HeraldDatabaseProperties(String url, String username, String password, Embedded embedded) {

    public HeraldDatabaseProperties {
        embedded = embedded == null ? new Embedded(null, 0) : embedded;
    }

    /**
     * @param dataDirectory PostgreSQL data directory ({@code HERALD_DATA_DIR}/postgres by default)
     * @param port          TCP port on 127.0.0.1; 0 picks a free one
     */
    public record Embedded(Path dataDirectory, int port) {
    }
}
