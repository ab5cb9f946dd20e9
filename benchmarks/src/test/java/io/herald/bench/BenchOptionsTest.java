package io.herald.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void defaults_areTheFullRun() {
        BenchOptions options = BenchOptions.parse(new String[0]);

        assertThat(options.scenario()).isEqualTo("create-campaign");
        assertThat(options.runs()).isEqualTo(3);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.clients()).containsExactly(1, 32);
        assertThat(options.engines()).containsExactly("jdbc", "jpa");
        assertThat(options.database()).isEqualTo("local");
        assertThat(options.part("baseline")).isTrue();
    }

    @Test
    void options_takeSpaceOrEqualsForm() {
        BenchOptions options = BenchOptions.parse(new String[]{
                "--runs=1", "--duration", "2s", "--warmup", "500ms", "--clients", "4, 8", "--engines", "JPA",
                "--set", "axon.timeout.enabled=false", "--db", "embedded"});

        assertThat(options.runs()).isEqualTo(1);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.clients()).containsExactly(4, 8);
        assertThat(options.engines()).isEqualTo(List.of("jpa"));
        assertThat(options.appProperties()).containsExactly("axon.timeout.enabled=false");
        assertThat(options.maxClients()).isEqualTo(8);
    }

    @Test
    void unknownEngine_isRefused() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--engines", "mongo"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mongo");
    }
}
