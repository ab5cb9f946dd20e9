package io.herald.gateway.config;

import org.axonframework.common.jdbc.ConnectionProvider;

import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLErrorCodesResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.util.jpa.ContainerManagedEntityManagerProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * The event storage engine: Axon's JDBC engine by default (measured faster here, see
 * BENCHMARKS.md). {@code herald.event-store.engine=jpa} selects the JPA engine, which the
 * benchmark harness uses to compare the two; it needs Axon's JPA entities mapped onto the same
 * tables, which only the harness sets up.
 */
@Configuration(proxyBeanMethods = false)
public class EventStoreConfiguration {

    public static final String ENGINE_PROPERTY = "herald.event-store.engine";

    @Bean
    @ConditionalOnProperty(name = ENGINE_PROPERTY, havingValue = "jdbc", matchIfMissing = true)
    EventStorageEngine jdbcEventStorageEngine(Serializer serializer,
                                              org.axonframework.config.Configuration configuration,
                                              ConnectionProvider connectionProvider,
                                              TransactionManager transactionManager,
                                              EventSchema eventSchema) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(new JdbcSQLErrorCodesResolver())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .dataType(byte[].class)
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = ENGINE_PROPERTY, havingValue = "jpa")
    ContainerManagedEntityManagerProvider entityManagerProvider() {
        return new ContainerManagedEntityManagerProvider();
    }

    @Bean
    @ConditionalOnProperty(name = ENGINE_PROPERTY, havingValue = "jpa")
    EventStorageEngine jpaEventStorageEngine(Serializer serializer,
                                             org.axonframework.config.Configuration configuration,
                                             EntityManagerProvider entityManagerProvider,
                                             TransactionManager transactionManager,
                                             DataSource dataSource) throws SQLException {
        return JpaEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(new SQLErrorCodesResolver(dataSource))
                .entityManagerProvider(entityManagerProvider)
                .transactionManager(transactionManager)
                .build();
    }
}
