package io.herald.gateway.role;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Applies {@code HERALD_ROLE}: checks it before anything starts (an unknown role stops the start with
 * a message naming the setting) and puts the role's settings ({@link HeraldRole#settings()}) in front
 * of every other source.
 */
public class HeraldRoleEnvironment implements EnvironmentPostProcessor {

    static final String SOURCE = "herald-role";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        HeraldRole role = HeraldRole.parse(environment.getProperty(HeraldRole.PROPERTY));
        Map<String, Object> settings = role.settings();
        if (!settings.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, settings));
        }
    }
}
