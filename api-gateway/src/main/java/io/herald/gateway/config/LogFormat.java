package io.herald.gateway.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Locale;
import java.util.Map;

/**
 * {@code herald.log-format} ({@code HERALD_LOG_FORMAT}): {@code text} (the default, for a person at a terminal)
 * or one line of JSON per log event for a log collector: {@code json} (Elastic Common Schema, the same as
 * {@code ecs}), {@code logstash} or {@code gelf}, through Spring Boot's structured logging
 * ({@code logging.structured.format.console}, which wins when set itself). Read before the logging system
 * starts; an unknown value stops the start with a message naming the setting.
 */
public class LogFormat implements EnvironmentPostProcessor {

    static final String PROPERTY = "herald.log-format";
    static final String STRUCTURED = "logging.structured.format.console";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String structured = structuredFormat(environment.getProperty(PROPERTY));
        if (structured != null && !environment.containsProperty(STRUCTURED)) {
            environment.getPropertySources().addLast(new MapPropertySource("herald-log-format",
                                                                           Map.of(STRUCTURED, structured)));
        }
    }

    /** Spring Boot's structured format for a {@code herald.log-format} value; null for plain text. */
    static String structuredFormat(String value) {
        String format = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (format) {
            case "", "text" -> null;
            case "json", "ecs" -> "ecs";
            case "logstash" -> "logstash";
            case "gelf" -> "gelf";
            default -> throw new IllegalStateException(PROPERTY + " (HERALD_LOG_FORMAT) is text, json, ecs, logstash "
                                                               + "or gelf, not '" + value + "'");
        };
    }
}
