package io.herald.gateway.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.herald.api.common.MetadataKeys;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.BeanValidationInterceptor;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Axon on PostgreSQL without Axon Server: JDBC event store, tokens, sagas and dead letters in
 * tables owned by Flyway, Jackson for every message, pooled streaming processors by default, and
 * the actor and correlation id of each command carried on to every event it causes.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfiguration {

    /**
     * One Jackson serializer for events, messages, tokens, sagas and deadlines. It has its own
     * ObjectMapper: tolerant of unknown fields (events evolve), with ISO dates, no default typing,
     * and independent of the strict mapper the REST API uses. Equal metadata of consecutive events
     * is written and read once ({@link MetaDataReusingSerializer}).
     */
    @Bean
    @Primary
    Serializer serializer() {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return new MetaDataReusingSerializer(
                JacksonSerializer.builder().objectMapper(mapper).lenientDeserialization().build());
    }

    /** causationId: the id of the message that caused this one; traceId: the id of the first message. */
    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider(MetadataKeys.CAUSATION_ID, MetadataKeys.TRACE_ID);
    }

    /** The actor and the request's correlation id travel unchanged from command to events to later commands. */
    @Bean
    CorrelationDataProvider actorAndCorrelationProvider() {
        return new SimpleCorrelationDataProvider(MetadataKeys.ACTOR, MetadataKeys.CORRELATION_ID);
    }

    @Bean
    CommandGateway commandGateway(CommandBus commandBus, CommandMetadataInterceptor metadataInterceptor) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .dispatchInterceptors(metadataInterceptor, new BeanValidationInterceptor<>())
                .build();
    }

    /** Axon's JDBC defaults are camelCase; Herald's Flyway tables are snake_case (V1__axon_infrastructure.sql). */
    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    @Bean
    SagaSqlSchema sagaSqlSchema() {
        return new PostgresSagaSqlSchema(SagaSchema.builder()
                .sagaEntryTable("saga_entry")
                .revisionColumn("revision")
                .serializedSagaColumn("serialized_saga")
                .associationValueEntryTable("association_value_entry")
                .associationKeyColumn("association_key")
                .associationValueColumn("association_value")
                .sagaIdColumn("saga_id")
                .sagaTypeColumn("saga_type")
                .build());
    }

    @Bean
    DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                .deadLetterTable("dead_letter_entry")
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("aggregate_type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
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
                                    @Value("${herald.event-store.fetch-delay:250ms}") Duration fetchDelay,
                                    @Value("${herald.event-store.cached-events:1000}") int cachedEvents) {
        return RingBufferEventStore.builder()
                .storageEngine(storageEngine)
                // recent events kept in memory for processors that keep up (Axon's default, 10,000, held
                // 300 MiB of delivery batch events in a 1,000,000-recipient send: BENCHMARKS.md)
                .cachedEvents(cachedEvents)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(fetchDelay)
                .build();
    }

    /** The source every pooled processor reads: the event store, with prompt wake-ups (see the class). */
    @Bean
    PromptEventSource promptEventSource(EventStore eventStore) {
        return new PromptEventSource(eventStore);
    }

    /**
     * Every processing group runs as a pooled streaming processor reading {@link PromptEventSource},
     * unless application.yml configures it otherwise.
     */
    @Bean
    ConfigurerModule pooledProcessorsByDefault(ObjectProvider<PromptEventSource> source) {
        return configurer -> configurer.eventProcessing()
                .usingPooledStreamingEventProcessors((config, builder) -> builder.messageSource(source.getObject()));
    }

    /**
     * The processing groups that write in the command's own transaction (subscribing): a handler that
     * fails fails the command, which is then refused or retried as a whole, instead of being logged and
     * skipped (Axon's default) while the command commits without its read-model rows.
     */
    @Bean
    ConfigurerModule inTransactionProjectionsPropagateErrors() {
        return configurer -> configurer.eventProcessing(processing -> {
            for (String group : List.of("tracked-events", "segment-usage")) {
                processing.registerListenerInvocationErrorHandler(
                        group, c -> PropagatingErrorHandler.instance());
            }
        });
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
