package io.herald.identity;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The identity module's settings and password hashing. Its services and stores are components of
 * {@code io.herald.identity}; the application provides a {@code DataSource} (the tables come from the
 * application's Flyway migrations, see {@code package-info}), a {@code java.time.Clock} and a
 * {@link io.herald.identity.user.FailureCounter} for login throttling.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
public class IdentityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
