package io.herald.saga.unsubscribe;

import io.herald.saga.delivery.DeliveryProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
@EnableConfigurationProperties(PublicUrlProperties.class)
public class UnsubscribeConfiguration {

    @Bean
    @DependsOnDatabaseInitialization // the generated secret lives in herald_secret, made by Flyway
    SignedUnsubscribeLinks unsubscribeLinks(PublicUrlProperties publicUrl, DeliveryProperties delivery,
                                            DataSource dataSource) {
        return new SignedUnsubscribeLinks(publicUrl.publicUrl(),
                                          UnsubscribeSecret.resolve(delivery.unsubscribe().secret(), dataSource),
                                          Clock.systemUTC());
    }
}
