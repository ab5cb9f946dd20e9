package io.herald.eventstore.database;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeraldDatabasePropertiesTest {

    @Test
    void unset_theEmbeddedServerKeepsItsDataUnderDataDir() {
        HeraldDatabaseProperties defaults = bind(Map.of());
        assertThat(defaults.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(defaults.embeddedDataDirectory()).isEqualTo(Path.of("./data/postgres"));
        assertThat(defaults.database().url()).isNull();
        assertThat(defaults.database().embedded().port()).isZero();
    }

    @Test
    void theDocumentedPropertyNames_bind() {
        HeraldDatabaseProperties properties = bind(Map.of(
                "herald.data-dir", "/var/herald",
                "herald.database.url", "jdbc:postgresql://db/herald",
                "herald.database.username", "herald",
                "herald.database.password", "secret",
                "herald.database.embedded.port", "5433"));
        assertThat(properties.embeddedDataDirectory()).isEqualTo(Path.of("/var/herald/postgres"));
        assertThat(properties.database().url()).isEqualTo("jdbc:postgresql://db/herald");
        assertThat(properties.database().username()).isEqualTo("herald");
        assertThat(properties.database().password()).isEqualTo("secret");
        assertThat(properties.database().embedded().port()).isEqualTo(5433);
        assertThat(bind(Map.of("herald.database.embedded.data-directory", "/pg", "herald.data-dir", "/var/herald"))
                           .embeddedDataDirectory()).isEqualTo(Path.of("/pg"));
        assertThat(bind(Map.of("herald.database.embedded.data-directory", "", "herald.data-dir", "/var/herald"))
                           .embeddedDataDirectory()).isEqualTo(Path.of("/var/herald/postgres"));
    }

    @Test
    void aPortThatCannotBe_isRefused_namingTheProperty() {
        for (String port : new String[] {"-1", "65536"}) {
            assertThatThrownBy(() -> bind(Map.of("herald.database.embedded.port", port)))
                    .isInstanceOf(BindException.class)
                    .rootCause().hasMessageContaining("herald.database.embedded.port must be 0 (a free port) or a TCP port");
        }
    }

    private static HeraldDatabaseProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("herald", HeraldDatabaseProperties.class);
    }
}
