package io.herald.bench.jpa;

import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.util.List;

/**
 * Added to the application's sources for the JPA storage engine run only (deliberately not a
 * {@code @Configuration}: HeraldApplication scans {@code io.herald}, and this must not apply to the
 * JDBC run). HeraldApplication's {@code @EntityScan("io.herald")} replaces the packages Axon's JPA
 * auto-configurations register, so Axon's entities are listed here again; Spring merges both scans.
 */
@EntityScan({
        "io.herald",
        "org.axonframework.eventsourcing.eventstore.jpa",
        "org.axonframework.eventhandling.tokenstore.jpa",
        "org.axonframework.modelling.saga.repository.jpa",
        "org.axonframework.eventhandling.deadletter.jpa"
})
public class JpaEngineConfiguration {

    /**
     * The JPA storage engine, built as Axon's JpaEventStoreAutoConfiguration builds it. Declared
     * here (and primary) because that auto-configuration steps back as soon as the application
     * defines its own EventBus/EventStore or storage engine bean, which Herald does.
     */
    @Bean
    @Primary
    EventStorageEngine jpaEventStorageEngine(Serializer defaultSerializer,
                                             PersistenceExceptionResolver persistenceExceptionResolver,
                                             @Qualifier("eventSerializer") Serializer eventSerializer,
                                             ObjectProvider<org.axonframework.config.Configuration> configuration,
                                             EntityManagerProvider entityManagerProvider,
                                             TransactionManager transactionManager) {
        return JpaEventStorageEngine.builder()
                                    .snapshotSerializer(defaultSerializer)
                                    // read from the Axon configuration when used, not when built: no bean cycle
                                    .upcasterChain(events -> configuration.getObject().upcasterChain().upcast(events))
                                    .persistenceExceptionResolver(persistenceExceptionResolver)
                                    .eventSerializer(eventSerializer)
                                    .snapshotFilter(snapshot -> configuration.getObject().snapshotFilter().allow(snapshot))
                                    .entityManagerProvider(entityManagerProvider)
                                    .transactionManager(transactionManager)
                                    .build();
    }

    /** Axon's JPA token store, as JpaAutoConfiguration builds it; primary for the same reason. */
    @Bean
    @Primary
    TokenStore jpaTokenStore(Serializer serializer, EntityManagerProvider entityManagerProvider,
                             TokenStoreProperties tokenStoreProperties) {
        return JpaTokenStore.builder()
                            .entityManagerProvider(entityManagerProvider)
                            .serializer(serializer)
                            .claimTimeout(tokenStoreProperties.getClaimTimeout())
                            .build();
    }

    /** Orm.xml with allocation size 1 on the sequences Flyway already created (see the file). */
    public static final String MAPPING = "META-INF/herald-bench/axon-jpa-orm.xml";

    /**
     * Arguments that turn the application onto Axon's JPA storage engine, token store and saga
     * store. Passed as command-line arguments so they win over application.yml (which excludes
     * the JPA auto-configurations); a list given there replaces the whole list from the yml.
     */
    public static List<String> arguments() {
        return List.of(
                "--spring.autoconfigure.exclude=org.axonframework.springboot.autoconfig.UpdateCheckerAutoConfiguration",
                "--spring.jpa.database-platform=" + ByteaPostgreSQLDialect.class.getName(),
                "--spring.jpa.mapping-resources=" + MAPPING);
    }
}
