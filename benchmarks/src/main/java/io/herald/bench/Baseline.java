package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.CampaignCreatedEvent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.Channel;
import io.herald.gateway.config.MigrationLayout;
import org.flywaydb.core.Flyway;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The floor to compare Axon against: plain JDBC INSERTs of rows shaped like the domain_event_entry
 * rows a create-campaign command writes (same table from the application's Flyway migrations, same
 * columns and indexes, payload and metadata JSON of the same size), into the same PostgreSQL.
 */
final class Baseline {

    static final String INSERT = "INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, "
            + "event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Baseline() {
    }

    /** Creates the application's schema (all Flyway migrations) in a fresh database. */
    static void migrate(PostgresServer server, String database) {
        Flyway.configure()
              .dataSource(server.url(database), server.user(), server.password())
              .locations(MigrationLayout.LOCATIONS.toArray(String[]::new))
              .outOfOrder(true)
              .load()
              .migrate();
    }

    /** A client that inserts {@code rowsPerTransaction} rows per call, in one transaction. */
    static LoadDriver.ClientFactory inserts(PostgresServer server, String database, int rowsPerTransaction) {
        return index -> new LoadDriver.Client() {
            private final Connection connection = open();
            private final PreparedStatement insert = connection.prepareStatement(INSERT);

            private Connection open() throws Exception {
                Connection c = server.connect(database);
                c.setAutoCommit(rowsPerTransaction == 1);
                return c;
            }

            @Override
            public boolean call(long sequence) throws Exception {
                for (int i = 0; i < rowsPerTransaction; i++) {
                    bind(insert, "bench-" + index + "-" + sequence + "-" + i);
                    if (rowsPerTransaction > 1) {
                        insert.addBatch();
                    }
                }
                if (rowsPerTransaction == 1) {
                    insert.executeUpdate();
                } else {
                    insert.executeBatch();
                    connection.commit();
                }
                return true;
            }

            @Override
            public void close() throws Exception {
                insert.close();
                connection.close();
            }
        };
    }

    private static void bind(PreparedStatement insert, String name) throws Exception {
        String aggregateId = UUID.randomUUID().toString();
        insert.setString(1, aggregateId);
        insert.setLong(2, 0L);
        insert.setString(3, "Campaign");
        insert.setString(4, UUID.randomUUID().toString());
        insert.setBytes(5, metaData());
        insert.setBytes(6, payload(aggregateId, name));
        insert.setString(7, "1");
        insert.setString(8, CampaignCreatedEvent.class.getName());
        insert.setString(9, Instant.now().toString());
    }

    /** The event as Axon's JacksonSerializer writes it (records with their null fields). */
    static byte[] payload(String aggregateId, String name) throws Exception {
        CampaignDefinition definition = new CampaignDefinition(name, Channel.EMAIL,
                                                               CampaignContent.email("Hi", "Sale", null), null, null);
        return JSON.writeValueAsBytes(new CampaignCreatedEvent(aggregateId, definition));
    }

    /** The metadata every command carries here: trace and correlation ids and the actor. */
    static byte[] metaData() throws Exception {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("traceId", UUID.randomUUID().toString());
        meta.put("correlationId", UUID.randomUUID().toString());
        meta.put("actor", "anonymous");
        return JSON.writeValueAsString(meta).getBytes(StandardCharsets.UTF_8);
    }
}
