package io.herald.gateway.role;

import io.herald.eventstore.database.DatabaseConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;

/**
 * {@code HERALD_ROLE=migrate}: the database (the configured PostgreSQL, or the embedded one) and Flyway with
 * Herald's migration locations and layout check, nothing else (no Axon, no web server, no workers); the
 * process exits once the migrations are applied. Run it before a deploy so that the new version's
 * instances start on an up-to-date schema.
 */
// not @Configuration: the application's component scan must not pick it up
@Import(DatabaseConfiguration.class)
@ComponentScan(basePackages = "io.herald.gateway.config", useDefaultFilters = false,
        includeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*\\.MigrationConfiguration"))
@ImportAutoConfiguration({FlywayAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class})
public class MigrateApplication {

    private static final Logger log = LoggerFactory.getLogger(MigrateApplication.class);

    private MigrateApplication() {
    }

    /** Applies the migrations; 0 when done, else the failure is thrown (and the JVM exits non-zero). */
    public static int run(String... args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MigrateApplication.class)
                .web(WebApplicationType.NONE)
                .run(args)) {
            org.flywaydb.core.Flyway flyway = context.getBean(org.flywaydb.core.Flyway.class);
            var current = flyway.info().current();
            log.info("Herald migrations applied: the schema is at version {}",
                     current == null ? "(none)" : current.getVersion());
        }
        return 0;
    }
}
