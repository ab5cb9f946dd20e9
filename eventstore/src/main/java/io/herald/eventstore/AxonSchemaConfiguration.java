package io.herald.eventstore;

import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's tables as Herald's Flyway migrations create them: events and snapshots, tokens, sagas and
 * dead letters, with snake_case names ({@code db/migration/V1__axon_infrastructure.sql}).
 */
@Configuration(proxyBeanMethods = false)
public class AxonSchemaConfiguration {

    /** Axon's JDBC defaults are camelCase; Herald's Flyway tables are snake_case. */
    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable(StoredEvents.TABLE)
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn(StoredEvents.GLOBAL_INDEX)
                .timestampColumn(StoredEvents.TIMESTAMP)
                .eventIdentifierColumn(StoredEvents.EVENT_ID)
                .aggregateIdentifierColumn(StoredEvents.AGGREGATE_ID)
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn(StoredEvents.PAYLOAD_TYPE)
                .payloadRevisionColumn(StoredEvents.PAYLOAD_REVISION)
                .payloadColumn(StoredEvents.PAYLOAD)
                .metaDataColumn(StoredEvents.META_DATA)
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
}
