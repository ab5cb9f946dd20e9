package io.herald.saga.throttle;

import io.lettuce.core.RedisClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link io.herald.saga.delivery.SendThrottle} bean: on the application's Redis client (the
 * {@code RedisClient} bean made from {@code herald.redis.url} for the API rate limits) when there is
 * one, else in this instance, and the log says which. The {@link DeliveryThrottleProperties} bean is
 * also the {@link io.herald.saga.delivery.ChannelConcurrency}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeliveryThrottleProperties.class)
public class SendThrottleConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SendThrottleConfiguration.class);

    @Bean
    BucketSendThrottle sendThrottle(ObjectProvider<RedisClient> redis, DeliveryThrottleProperties properties) {
        RedisClient client = redis.getIfAvailable();
        String rates = "email " + describe(properties.email()) + ", sms " + describe(properties.sms())
                + ", webhook " + describe(properties.webhook());
        if (client == null) {
            log.info("No Redis configured (herald.redis.url): send rates ({}) hold per instance", rates);
            return new BucketSendThrottle(new InMemoryTokenBuckets(), properties::perSecond);
        }
        log.info("Send rates ({}) are shared through Redis", rates);
        return new BucketSendThrottle(new RedisTokenBuckets(client), properties::perSecond);
    }

    private static String describe(Long perSecond) {
        return perSecond == null || perSecond == 0 ? "unlimited" : perSecond + "/s";
    }
}
