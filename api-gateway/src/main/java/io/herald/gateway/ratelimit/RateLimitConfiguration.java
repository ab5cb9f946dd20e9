package io.herald.gateway.ratelimit;

import io.herald.gateway.config.GatewayProperties;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

import java.time.Duration;

/**
 * Redis when {@code herald.redis.url} ({@code HERALD_REDIS_URL}) is set, so that limits hold across
 * instances; otherwise buckets in this process, and the log says so.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    @Bean(destroyMethod = "shutdown")
    RedisClient heraldRedisClient(GatewayProperties properties) {
        String url = properties.redis().url();
        Duration timeout = properties.redis().timeout();
        if (!StringUtils.hasText(url)) {
            return null;
        }
        RedisClient client = RedisClient.create(RedisURI.create(url));
        client.setOptions(ClientOptions.builder()
                                  .autoReconnect(true)
                                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                  .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                                  .timeoutOptions(TimeoutOptions.enabled(timeout))
                                  .build());
        return client;
    }

    @Bean
    RateLimiter rateLimiter(org.springframework.beans.factory.ObjectProvider<RedisClient> redis,
                            RateLimitProperties properties) {
        RedisClient client = redis.getIfAvailable();
        if (client == null) {
            log.info("No Redis configured (herald.redis.url): rate limits are kept in this instance only");
            return new RateLimiter(new InMemoryRateLimitBackend(), properties.writesWhenRedisDown());
        }
        log.info("Rate limits are shared through Redis");
        return new RateLimiter(new RedisRateLimitBackend(client), properties.writesWhenRedisDown());
    }
}
