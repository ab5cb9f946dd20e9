package io.herald.gateway.tracing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracingEnvironmentTest {

    @Test
    void noEndpoint_turnsTracingOff() {
        for (String endpoint : new String[] {null, "", "  "}) {
            Map<String, Object> settings = TracingEnvironment.settings(endpoint, "0.5");
            assertThat(settings).containsEntry("management.tracing.enabled", false)
                    .containsEntry(TracingEnvironment.ENABLED, false)
                    .doesNotContainKey("management.otlp.tracing.endpoint");
        }
    }

    @Test
    void anEndpoint_exportsToItsTracesPath_atTheSamplingRatio() {
        assertThat(TracingEnvironment.settings("http://jaeger:4318", null))
                .containsEntry("management.tracing.enabled", true)
                .containsEntry(TracingEnvironment.ENABLED, true)
                .containsEntry("management.otlp.tracing.endpoint", "http://jaeger:4318/v1/traces")
                .containsEntry("management.tracing.sampling.probability", 0.1)
                .containsEntry("management.tracing.baggage.enabled", false);
        assertThat(TracingEnvironment.settings("http://jaeger:4318/", "1"))
                .containsEntry("management.otlp.tracing.endpoint", "http://jaeger:4318/v1/traces")
                .containsEntry("management.tracing.sampling.probability", 1.0);
        assertThat(TracingEnvironment.settings("https://collector.example/otlp/v1/traces", "0.25"))
                .containsEntry("management.otlp.tracing.endpoint", "https://collector.example/otlp/v1/traces")
                .containsEntry("management.tracing.sampling.probability", 0.25);
    }

    @Test
    void off_leavesSpringBootsTracerUnconfigured_keepingTheExclusionsGiven() {
        org.springframework.mock.env.MockEnvironment environment = new org.springframework.mock.env.MockEnvironment()
                .withProperty("spring.autoconfigure.exclude[0]", "a.B")
                .withProperty("spring.autoconfigure.exclude[1]", "c.D");
        new TracingEnvironment().postProcessEnvironment(environment, new org.springframework.boot.SpringApplication());
        String excluded = environment.getProperty("spring.autoconfigure.exclude");
        assertThat(excluded.split(",")).containsExactlyElementsOf(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("a.B", "c.D"),
                                               TracingEnvironment.TRACER_AUTO_CONFIGURATIONS.stream()).toList());

        org.springframework.mock.env.MockEnvironment on = new org.springframework.mock.env.MockEnvironment()
                .withProperty("spring.autoconfigure.exclude[0]", "a.B")
                .withProperty(TracingEnvironment.ENDPOINT, "http://jaeger:4318");
        new TracingEnvironment().postProcessEnvironment(on, new org.springframework.boot.SpringApplication());
        assertThat(on.getProperty("spring.autoconfigure.exclude[0]")).isEqualTo("a.B");
        assertThat(on.getProperty("spring.autoconfigure.exclude")).isNull();
        assertThat(on.getProperty("management.otlp.tracing.endpoint")).isEqualTo("http://jaeger:4318/v1/traces");
    }

    @Test
    void valuesThatCannotWork_stopTheStartNamingTheSetting() {
        assertThatThrownBy(() -> TracingEnvironment.settings("jaeger:4318", null))
                .hasMessageContaining("HERALD_OTLP_ENDPOINT");
        assertThatThrownBy(() -> TracingEnvironment.settings("http://jae ger", null))
                .hasMessageContaining("HERALD_OTLP_ENDPOINT");
        for (String ratio : new String[] {"10%", "1.5", "-0.1", "NaN"}) {
            assertThatThrownBy(() -> TracingEnvironment.settings("http://jaeger:4318", ratio)).as(ratio)
                    .hasMessageContaining("HERALD_TRACE_SAMPLING");
        }
    }
}
