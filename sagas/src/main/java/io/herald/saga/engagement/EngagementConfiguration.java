package io.herald.saga.engagement;

import io.herald.saga.delivery.DeliveryProperties;
import io.herald.saga.unsubscribe.PublicUrlProperties;
import io.herald.saga.unsubscribe.UnsubscribeSecret;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;

/**
 * E-mail open and click tracking: the tokens are signed with a key derived from the unsubscribe links' secret
 * ({@code herald.delivery.unsubscribe.secret}, else the one kept in {@code herald_secret}), so there is no second
 * secret to keep and every instance on the database signs and verifies alike; the links point at
 * {@code herald.public-url}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EngagementProperties.class)
public class EngagementConfiguration {

    /** What the unsubscribe secret is turned into the tracking key with (a key of its own for each use). */
    static final String KEY_LABEL = "herald e-mail tracking links v1";

    @Bean
    @DependsOnDatabaseInitialization // the generated secret lives in herald_secret, made by Flyway
    TrackingTokens trackingTokens(DeliveryProperties delivery, DataSource dataSource) {
        return new TrackingTokens(derive(UnsubscribeSecret.resolve(delivery.unsubscribe().secret(), dataSource)));
    }

    @Bean
    EmailTracking emailTracking(PublicUrlProperties publicUrl, TrackingTokens tokens, Clock clock) {
        return new EmailTracking(publicUrl.publicUrl(), tokens, clock);
    }

    @Bean
    MachineTraffic machineTraffic(EngagementProperties properties) {
        return new MachineTraffic(properties.machineWindow());
    }

    static byte[] derive(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(KEY_LABEL.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
