package io.herald.eventstore;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The processors' tokens (table {@code token_entry}, Axon's JDBC token store as its auto-configuration
 * would build it), claimed under a name of this process's own.
 * <p>
 * Axon names the owner of a claimed segment {@code <pid>@<host>} unless told otherwise. Two Herald
 * processes with the same pid on the same host name (containers started with a fixed
 * {@code hostname:}, or sharing the host's network, where every process is pid 1; or two instances
 * in one JVM) then count as one owner: each takes the other's segments for its own and both handle
 * the same events, each committing its own copy (found by {@code HandledOncePerGroupIT}). Here
 * the owner is {@code <pid>@<host>/<random>}, new at every start: after a crash, the next start
 * waits for the old claims to time out ({@code axon.eventhandling.tokenstore.claim-timeout}, 10 s
 * by default) before it takes those segments over.
 * <p>
 * Both stores keep a segment's token from going back ({@link MonotonicTokenStore}), and every streaming
 * processor using them has a {@link RedeliveryGuard} (see {@link EventStoreConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class TokenStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TokenStoreConfiguration.class);
    private static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofSeconds(10);

    @Bean
    @ConditionalOnProperty(name = EventStoreConfiguration.ENGINE_PROPERTY, havingValue = "jdbc", matchIfMissing = true)
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                          ObjectProvider<TokenStoreProperties> properties) {
        String owner = announced(processOwnerName(), claimTimeout(properties));
        return new MonotonicTokenStore(JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(tokenSchema)
                .serializer(serializer)
                .claimTimeout(claimTimeout(properties))
                .nodeId(owner)
                .build());
    }

    /** With the JPA storage engine (the benchmarks' "Axon defaults" case): Axon's JPA token store, named the same way. */
    @Bean
    @ConditionalOnProperty(name = EventStoreConfiguration.ENGINE_PROPERTY, havingValue = "jpa")
    TokenStore jpaTokenStore(EntityManagerProvider entityManagerProvider, Serializer serializer,
                             ObjectProvider<TokenStoreProperties> properties) {
        String owner = announced(processOwnerName(), claimTimeout(properties));
        return new MonotonicTokenStore(JpaTokenStore.builder()
                .entityManagerProvider(entityManagerProvider)
                .serializer(serializer)
                .claimTimeout(claimTimeout(properties))
                .nodeId(owner)
                .build());
    }

    private static Duration claimTimeout(ObjectProvider<TokenStoreProperties> properties) {
        return properties.stream()
                .map(TokenStoreProperties::getClaimTimeout)
                .filter(timeout -> timeout != null)
                .findFirst()
                .orElse(DEFAULT_CLAIM_TIMEOUT);
    }

    private static String announced(String owner, Duration claimTimeout) {
        log.info("Event processors claim their segments as {} (claims time out after {})", owner, claimTimeout);
        return owner;
    }

    /** {@code <pid>@<host>/<8 random hex digits>}: readable in {@code token_entry.owner}, never shared. */
    static String processOwnerName() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + HexFormat.of().formatHex(random);
    }
}
