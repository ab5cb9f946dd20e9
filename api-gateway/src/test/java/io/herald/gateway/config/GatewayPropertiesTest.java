package io.herald.gateway.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayPropertiesTest {

    @Test
    void unset_takesTheDocumentedDefaults() {
        GatewayProperties defaults = bind(Map.of());
        assertThat(defaults.redis().url()).isEmpty();
        assertThat(defaults.redis().timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(defaults.readYourWrites().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.readYourWrites().fallbackInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(defaults.imports().directory()).isEqualTo(Path.of("./data/imports"));
        assertThat(defaults.tracking().groupCommit().writers()).isEqualTo(4);
        assertThat(defaults.tracking().groupCommit().maxEvents()).isEqualTo(500);
    }

    @Test
    void theDocumentedPropertyNames_bind() {
        GatewayProperties properties = bind(Map.of(
                "herald.redis.url", "redis://127.0.0.1:6379",
                "herald.redis.timeout", "1s",
                "herald.read-your-writes.timeout", "0s",
                "herald.read-your-writes.fallback-interval", "100ms",
                "herald.imports.directory", "/srv/imports",
                "herald.imports.batch-size", "10", // the command side's: ignored here
                "herald.tracking.group-commit.writers", "2",
                "herald.tracking.group-commit.max-events", "50"));
        assertThat(properties.redis().url()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(properties.redis().timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.readYourWrites().timeout()).isZero();
        assertThat(properties.readYourWrites().fallbackInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(properties.imports().directory()).isEqualTo(Path.of("/srv/imports"));
        assertThat(properties.tracking().groupCommit().writers()).isEqualTo(2);
        assertThat(properties.tracking().groupCommit().maxEvents()).isEqualTo(50);
    }

    @Test
    void theImportsDirectory_followsTheDataDir_unlessSet() {
        assertThat(bind(Map.of("herald.data-dir", "/var/herald")).imports().directory())
                .isEqualTo(Path.of("/var/herald/imports"));
        assertThat(bind(Map.of("herald.data-dir", "/var/herald", "herald.imports.directory", "")).imports().directory())
                .isEqualTo(Path.of("/var/herald/imports"));
    }

    @Test
    void valuesThatCannotWork_areRefused_namingTheProperty() {
        assertRefused("herald.redis.timeout", "0s", "herald.redis.timeout must be longer than 0");
        assertRefused("herald.read-your-writes.timeout", "-1s", "herald.read-your-writes.timeout must not be negative");
        assertRefused("herald.read-your-writes.fallback-interval", "0ms",
                      "herald.read-your-writes.fallback-interval must be longer than 0");
        assertRefused("herald.tracking.group-commit.writers", "0", "herald.tracking.group-commit.writers must be at least 1");
        assertRefused("herald.tracking.group-commit.max-events", "-3",
                      "herald.tracking.group-commit.max-events must be at least 1");
    }

    private static void assertRefused(String property, String value, String message) {
        assertThatThrownBy(() -> bind(Map.of(property, value)))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining(message);
    }

    private static GatewayProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("herald", GatewayProperties.class);
    }
}
