package io.herald.gateway.config;

import org.flywaydb.core.api.Location;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Arrays;

/** Refuses to start, before Flyway migrates, when a migration or a location is misplaced ({@link MigrationLayout}). */
@Configuration(proxyBeanMethods = false)
class MigrationConfiguration {

    @Bean
    FlywayConfigurationCustomizer migrationLayoutCheck() {
        return configuration -> MigrationLayout.check(
                configuration.getClassLoader(),
                Arrays.stream(configuration.getLocations()).map(Location::getDescriptor).toList(),
                configuration.isOutOfOrder());
    }
}
