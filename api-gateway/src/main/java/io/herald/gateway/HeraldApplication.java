package io.herald.gateway;

import io.herald.gateway.config.GatewayProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
        SpringApplication.run(HeraldApplication.class, args);
    }
}
