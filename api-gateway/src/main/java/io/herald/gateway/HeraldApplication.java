package io.herald.gateway;

import io.herald.gateway.config.GatewayProperties;
import io.herald.gateway.role.HeraldRole;
import io.herald.gateway.role.MigrateApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** Herald: the API gateway that boots command side, query side and sagas in one process. */
@SpringBootApplication(scanBasePackages = "io.herald")
@EntityScan("io.herald")
@EnableJpaRepositories("io.herald")
@EnableConfigurationProperties(GatewayProperties.class)
public class HeraldApplication {

    public static void main(String[] args) {
        // Axon's update checker and console banner phone home; Herald opens no connection it was not configured to.
        // (The checker's auto-configuration is also excluded in application.yml; both spellings of the key are set.)
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("axoniq.update-check.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        HeraldRole role;
        try {
            role = role(args);
        } catch (IllegalStateException e) {
            System.err.println("Herald cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (role == HeraldRole.MIGRATE) {
            System.exit(MigrateApplication.run(args));
        }
        SpringApplication.run(HeraldApplication.class, args);
    }

    /** {@code herald.role} from the command line, the system properties or the environment ({@code HERALD_ROLE}). */
    static HeraldRole role(String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        return HeraldRole.parse(environment.getProperty(HeraldRole.PROPERTY));
    }
}
