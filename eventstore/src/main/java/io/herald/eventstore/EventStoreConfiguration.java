package io.herald.eventstore;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import io.herald.eventstore.metrics.EventStoreMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLErrorCodesResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.util.jpa.ContainerManagedEntityManagerProvider;
import org.postgresql.PGStatement;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The event store ({@link RingBufferEventStore}, bean {@code eventBus}), the source the processors
 * read ({@link PromptEventSource}) and the event storage engine under them.
 * <p>
 * The storage engine is Axon's JDBC engine by default (measured faster here, see BENCHMARKS.md). {@code herald.event-store.engine=jpa} selects the JPA engine, which the
 * benchmark harness uses to compare the two; it needs Axon's JPA entities mapped onto the same
 * tables, which only the harness sets up.
 * <p>
 * The JDBC engine reads {@code herald.event-store.fetch-batch-size} events per query (Axon's
 * default is 100). Every processor that is not at the head of the stream (the in-memory cache
 * holds the last {@code cached-events}) reads the store itself, so during an import or a large send
 * each of them reads every event; a scan by global index in batches of 1,000 costs PostgreSQL about
 * half as much per event as in batches of 100 (shared/machine-notes.md).
 * <p>
 * The statements that read events ask the driver for binary results
 * ({@link #binaryResults}): PostgreSQL otherwise sends {@code bytea} as hex text, which the server
 * encodes and the driver decodes for every payload and metadata column. In a tracking benchmark
 * that decoding was 11 % of the JVM's samples (the store's cache producer and every processor
 * reading behind it); see BENCHMARKS.md.
 * <p>
 * A unit of work's events are inserted as the last write of its transaction
 * ({@link LateAppendStorageEngine}), after the subscribing processors' writes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventStoreProperties.class)
public class EventStoreConfiguration {

    public static final String ENGINE_PROPERTY = "herald.event-store.engine";

    @Bean
    @ConditionalOnProperty(name = ENGINE_PROPERTY, havingValue = "jdbc", matchIfMissing = true)
    EventStorageEngine jdbcEventStorageEngine(Serializer serializer,
                                              org.axonframework.config.Configuration configuration,
                                              ConnectionProvider connectionProvider,
                                              TransactionManager transactionManager,
                                              EventSchema eventSchema,
                                              EventStoreProperties properties) {
        return new LateAppendStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(new JdbcSQLErrorCodesResolver())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .dataType(byte[].class)
                .batchSize(properties.fetchBatchSize())
                .readEventDataWithGaps((connection, schema, index, size, gaps) -> binaryResults(
                        JdbcEventStorageEngineStatements.readEventDataWithGaps(connection, schema, index, size, gaps)))
                .readEventDataWithoutGaps((connection, schema, index, size) -> binaryResults(
                        JdbcEventStorageEngineStatements.readEventDataWithoutGaps(connection, schema, index, size)))
                .readEventDataForAggregate((connection, schema, id, first, size) -> binaryResults(
                        JdbcEventStorageEngineStatements.readEventDataForAggregate(connection, schema, id, first, size)))
                .build());
    }

    /**
     * Transactions on the data source itself. Nothing Herald runs on the JDBC engine uses JPA (no
     * entities; Axon's JPA stores are excluded), yet Spring Boot's default with JPA on the class path is
     * a {@code JpaTransactionManager}, which opens a Hibernate session for every transaction: every
     * command's unit of work, every processor batch. That was about 5 % of the CPU of an HTTP write
     * (BENCHMARKS.md, "one write path"). The JPA engine (harness only) keeps Spring Boot's.
     */
    @Bean
    @ConditionalOnProperty(name = ENGINE_PROPERTY, havingValue = "jdbc", matchIfMissing = true)
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    /**
     * Results in PostgreSQL's binary format: a negative prepare threshold makes the driver prepare
     * the statement on the server at once and request binary columns ({@code bytea} as raw bytes,
     * not hex text). The reads are by primary key or by the aggregate's unique key, so the plan the
     * server keeps for them is the same for every parameter.
     */
    static PreparedStatement binaryResults(PreparedStatement statement) throws SQLException {
        if (statement.isWrapperFor(PGStatement.class)) {
            statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
        }
        return statement;
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

    /**
     * The event store. Local commits wake processors at once; events appended by other instances
     * are fetched every {@code herald.event-store.fetch-delay} when idle. Recent events are kept in a
     * ring rather than Axon's linked list (see {@link RingBufferEventStore}).
     */
    @Bean(name = "eventBus")
    RingBufferEventStore eventStore(EventStorageEngine storageEngine,
                                    org.axonframework.config.Configuration configuration,
                                    EventStoreProperties properties, ObjectProvider<MeterRegistry> meters) {
        MessageMonitor<? super EventMessage<?>> monitor = configuration.messageMonitor(EventStore.class, "eventStore");
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) { // herald.eventstore.appended beside Axon's own monitor (README, "Metrics")
            monitor = new MultiMessageMonitor<EventMessage<?>>(monitor, EventStoreMetrics.appendCounter(registry));
        }
        return RingBufferEventStore.builder()
                .storageEngine(storageEngine)
                // recent events kept in memory for processors that keep up (Axon's default, 10,000, held
                // 300 MiB of delivery batch events in a 1,000,000-recipient send: BENCHMARKS.md)
                .cachedEvents(properties.cachedEvents())
                .messageMonitor(monitor)
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(properties.fetchDelay())
                .build();
    }

    /** {@code herald.eventstore.head}: the newest event's global index (README, "Metrics"). */
    @Bean
    EventStoreMetrics eventStoreMetrics(DataSource dataSource, ObjectProvider<Clock> clock) {
        return new EventStoreMetrics(dataSource, clock.getIfAvailable(Clock::systemUTC));
    }

    /** The bean name of {@link PromptEventSource}, for a processor's {@code source} setting. */
    public static final String PROMPT_EVENT_SOURCE = "promptEventSource";

    /** The source every pooled processor reads: the event store, with prompt wake-ups (see the class). */
    @Bean(PROMPT_EVENT_SOURCE)
    PromptEventSource promptEventSource(EventStore eventStore) {
        return new PromptEventSource(eventStore);
    }

    /**
     * Start-up refuses a subscribing group that no module declared with
     * {@link ProcessingGroups#inCommandTransaction}, or one whose handlers leave the command's
     * transaction (see {@link ProcessingGroups}).
     */
    @Bean
    ConfigurerModule subscribingGroupsChecked(ObjectProvider<ProcessingGroups.InCommandTransaction> declared) {
        return ProcessingGroups.subscribingGroupsChecked(() -> declared.orderedStream().toList());
    }

    /**
     * Every streaming processor whose tokens are kept by a {@link MonotonicTokenStore} hands an event to its
     * handlers at most once per segment, whatever the coordinator's stream delivers again ({@link RedeliveryGuard}).
     */
    @Bean
    ConfigurerModule redeliveryGuarded() {
        return configurer -> configurer.eventProcessing().registerDefaultHandlerInterceptor((config, processorName) -> {
            TokenStore tokenStore = config.eventProcessingConfiguration().tokenStore(processorName);
            return tokenStore instanceof MonotonicTokenStore monotonic
                    ? new RedeliveryGuard(processorName, monotonic)
                    : (unitOfWork, chain) -> chain.proceed();
        });
    }

    /**
     * Every processing group runs as a pooled streaming processor reading {@link PromptEventSource},
     * unless the application's settings (axon.eventhandling.processors) or the
     * module that owns the group ({@link ProcessingGroups}) configure it otherwise.
     */
    @Bean
    ConfigurerModule pooledProcessorsByDefault(ObjectProvider<PromptEventSource> source) {
        return configurer -> configurer.eventProcessing()
                .usingPooledStreamingEventProcessors((config, builder) -> builder.messageSource(source.getObject()));
    }
}
