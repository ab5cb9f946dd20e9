package io.herald.gateway.metrics;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * The management port ({@code /actuator/prometheus}, {@code /actuator/info}, the full {@code /actuator/health})
 * when {@code HERALD_MANAGEMENT_PORT} is not given: the HTTP port + 1 (8081 beside the default 8080), and a
 * random port when the HTTP port is random (0), so that instances started side by side on one machine do not
 * fight over one fixed port. A value given explicitly always wins ({@code -1}: no management HTTP at all; the
 * HTTP port itself: the actuator on the public port, {@code /actuator/prometheus} then public too).
 */
public class ManagementPortEnvironment implements EnvironmentPostProcessor {

    static final String PROPERTY = "management.server.port";
    static final String SOURCE = "herald-management-port";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String given = environment.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            return;
        }
        Integer port = defaultPort(environment.getProperty("server.port"));
        if (port != null) {
            environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, Map.of(PROPERTY, port)));
        }
    }

    /** The HTTP port + 1, 0 for a random HTTP port, 8081 when no HTTP port is set; null when it is no number. */
    static Integer defaultPort(String serverPort) {
        if (serverPort == null || serverPort.isBlank()) {
            return 8081;
        }
        int port;
        try {
            port = Integer.parseInt(serverPort.strip());
        } catch (NumberFormatException e) {
            return null; // Spring's own binding reports the HTTP port's setting
        }
        if (port <= 0) {
            return 0;
        }
        return port < 65535 ? port + 1 : null;
    }
}
