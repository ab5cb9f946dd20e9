package io.herald.gateway.config;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.eventstore.database.EmbeddedPostgresServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says at start which database Herald uses and where its API listens. */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final HikariDataSource dataSource;
    private final ObjectProvider<EmbeddedPostgresServer> embedded;

    StartupReport(HikariDataSource dataSource, ObjectProvider<EmbeddedPostgresServer> embedded) {
        this.dataSource = dataSource;
        this.embedded = embedded;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        EmbeddedPostgresServer server = embedded.getIfAvailable();
        String database = server != null
                ? "embedded PostgreSQL, data in " + server.dataDirectory() + " (" + stripCredentials(dataSource.getJdbcUrl()) + ")"
                : "PostgreSQL at " + stripCredentials(dataSource.getJdbcUrl());
        String api = "(no web server)";
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            api = "http://localhost:" + web.getWebServer().getPort() + "/api (OpenAPI at /v3/api-docs, health at /actuator/health)";
        }
        log.info("Herald is ready. Database: {}. API: {}", database, api);
    }

    private static String stripCredentials(String url) {
        return url == null ? null : url.replaceAll("(?i)(password|user)=[^&]*", "$1=***");
    }
}
