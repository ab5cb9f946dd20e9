package io.herald.saga.unsubscribe;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * Unsubscribe links: signed with {@code herald.delivery.unsubscribe.secret} (else a secret kept in the
 * database), pointing at {@code herald.public-url}.
 */
@Configuration(proxyBeanMethods = false)
public class UnsubscribeConfiguration {

    @Bean
    @DependsOnDatabaseInitialization // the generated secret lives in herald_secret, made by Flyway
    SignedUnsubscribeLinks unsubscribeLinks(@Value("${herald.public-url:http://localhost:8080}") String publicUrl,
                                            @Value("${herald.delivery.unsubscribe.secret:}") String secret,
                                            DataSource dataSource) {
        return new SignedUnsubscribeLinks(publicUrl, UnsubscribeSecret.resolve(secret, dataSource), Clock.systemUTC());
    }
}
