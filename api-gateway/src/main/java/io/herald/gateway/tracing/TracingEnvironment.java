package io.herald.gateway.tracing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code herald.tracing.otlp-endpoint} ({@code HERALD_OTLP_ENDPOINT}) into Spring Boot's tracing settings
 * before the context starts. Unset: tracing is off ({@code management.tracing.enabled=false},
 * {@code herald.tracing.enabled=false}, Spring Boot's tracer not configured): no span is created and nothing
 * exported. Set: spans are exported over
 * OTLP/HTTP to it ({@code /v1/traces} is added to an endpoint given without a path, such as Jaeger's
 * {@code http://jaeger:4318}), sampled at {@code herald.tracing.sampling} ({@code HERALD_TRACE_SAMPLING}, default
 * 0.1, for new traces; a trace's later spans follow its first), W3C baggage not propagated (Herald reads none). Spring
 * Boot's own keys win when set. A value
 * that cannot work stops the start naming the setting.
 */
public class TracingEnvironment implements EnvironmentPostProcessor {

    static final String ENDPOINT = "herald.tracing.otlp-endpoint";
    static final String SAMPLING = "herald.tracing.sampling";
    static final String ENABLED = "herald.tracing.enabled";

    /**
     * Spring Boot's tracer and its observation handlers: with the OpenTelemetry bridge on the class path Spring Boot
     * makes them whatever {@code management.tracing.enabled} says (it only stops the export), and every HTTP request
     * would then get a span nobody sees. Off means they are not configured at all.
     */
    static final List<String> TRACER_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
            // its no-op tracer would make the HTTP metrics' handler look for a tracing context no handler made
            "org.springframework.boot.actuate.autoconfigure.tracing.NoopTracerAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.tracing.otlp.OtlpTracingAutoConfiguration");
    static final String EXCLUDE = "spring.autoconfigure.exclude";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> settings = settings(environment.getProperty(ENDPOINT), environment.getProperty(SAMPLING));
        environment.getPropertySources().addLast(new MapPropertySource("herald-tracing", settings));
        if (Boolean.FALSE.equals(settings.get(ENABLED))) {
            // the exclusions already given (application.yml, the environment), and the tracer's: a list is taken
            // whole from the first source that has it, so this one, first, holds them all
            List<String> excluded = new ArrayList<>(Binder.get(environment).bind(EXCLUDE, Bindable.listOf(String.class))
                                                            .orElse(List.of()));
            TRACER_AUTO_CONFIGURATIONS.stream().filter(name -> !excluded.contains(name)).forEach(excluded::add);
            environment.getPropertySources().addFirst(new MapPropertySource("herald-tracing-off",
                    Map.of(EXCLUDE, String.join(",", excluded))));
        }
    }

    /** Spring Boot's settings for an endpoint (blank: off) and a sampling ratio (blank: 0.1). */
    static Map<String, Object> settings(String endpoint, String sampling) {
        Map<String, Object> settings = new HashMap<>();
        if (endpoint == null || endpoint.isBlank()) {
            settings.put(ENABLED, false);
            settings.put("management.tracing.enabled", false);
            return settings;
        }
        settings.put(ENABLED, true);
        settings.put("management.tracing.enabled", true);
        settings.put("management.otlp.tracing.endpoint", tracesUrl(endpoint.trim()));
        settings.put("management.tracing.sampling.probability", ratio(sampling));
        // W3C baggage: Herald reads none and puts its own ids in the MDC (correlation id, actor), so Spring Boot's
        // baggage propagator and its MDC listener would only add work to every scope of every request
        settings.put("management.tracing.baggage.enabled", false);
        return settings;
    }

    static String tracesUrl(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENDPOINT + " (HERALD_OTLP_ENDPOINT) is not a URL: '" + endpoint + "'");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalStateException(ENDPOINT + " (HERALD_OTLP_ENDPOINT) is an http(s) URL such as "
                                                    + "http://jaeger:4318/v1/traces, not '" + endpoint + "'");
        }
        String path = uri.getPath();
        return path == null || path.isEmpty() || "/".equals(path)
                ? endpoint.replaceAll("/+$", "") + "/v1/traces"
                : endpoint;
    }

    static double ratio(String sampling) {
        if (sampling == null || sampling.isBlank()) {
            return 0.1;
        }
        try {
            double ratio = Double.parseDouble(sampling.trim());
            if (ratio >= 0 && ratio <= 1) {
                return ratio;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalStateException(SAMPLING + " (HERALD_TRACE_SAMPLING) is a ratio from 0 to 1 (0.1: one new "
                                                + "trace in ten), not '" + sampling + "'");
    }
}
