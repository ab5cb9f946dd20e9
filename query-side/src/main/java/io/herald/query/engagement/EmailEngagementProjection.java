package io.herald.query.engagement;

import io.herald.api.engagement.EmailOpenedEvent;
import io.herald.api.engagement.EngagementEvent;
import io.herald.api.engagement.LinkClickedEvent;
import io.herald.eventstore.database.ArrayColumns;
import io.herald.query.QuerySideProcessing;
import io.herald.query.contact.UnitOfWorkBuffer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The e-mail engagement read model ({@code email_engagement}): every open and click by contact, for the contact's
 * timeline. Its processing group, {@value #PROCESSING_GROUP}, is subscribing: rows are written in the transaction of
 * the command that records the open or click (one multi-row INSERT per unit of work), so a hit is in the timeline
 * once its request is answered. Keyed by the event's id: a replay writes each row once ({@link ResetHandler}
 * empties the table first).
 */
@Component
@ProcessingGroup(EmailEngagementProjection.PROCESSING_GROUP)
class EmailEngagementProjection {

    static final String PROCESSING_GROUP = QuerySideProcessing.EMAIL_ENGAGEMENT;
    private static final String BUFFER = EmailEngagementProjection.class.getName();

    private final JdbcTemplate jdbc;

    EmailEngagementProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    private record Row(String eventId, String kind, EngagementEvent event, String link, Integer linkIndex,
                       Instant at) {
    }

    private List<Row> rows() {
        return UnitOfWorkBuffer.get(BUFFER, ArrayList::new, this::insert);
    }

    @EventHandler
    void on(EmailOpenedEvent event, @MessageIdentifier String eventId) {
        rows().add(new Row(eventId, "OPEN", event, null, null, event.openedAt()));
    }

    @EventHandler
    void on(LinkClickedEvent event, @MessageIdentifier String eventId) {
        rows().add(new Row(eventId, "CLICK", event, event.link(), event.linkIndex(), event.clickedAt()));
    }

    @ResetHandler
    void reset() {
        jdbc.update("truncate email_engagement");
    }

    private void insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into email_engagement (event_id, contact_id, kind, delivery_id, campaign_id, flow_id, "
                            + "flow_node_id, link, link_index, occurred_at, first, machine, machine_reason) "
                            + "select * from unnest(?::uuid[], ?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], "
                            + "?::varchar[], ?::varchar[], ?::text[], ?::int[], ?::timestamptz[], ?::boolean[], "
                            + "?::boolean[], ?::varchar[]) on conflict (event_id) do nothing")) {
                ArrayColumns.of(rows)
                        .column("uuid", String.class, Row::eventId)
                        .column("uuid", String.class, row -> row.event().contactId())
                        .column("varchar", String.class, Row::kind)
                        .column("varchar", String.class, row -> row.event().deliveryId())
                        .column("varchar", String.class, row -> row.event().campaignId())
                        .column("varchar", String.class, row -> row.event().flowId())
                        .column("varchar", String.class, row -> row.event().flowNodeId())
                        .column("text", String.class, Row::link)
                        .column("int4", Integer.class, Row::linkIndex)
                        .column("timestamptz", String.class, row -> row.at().toString())
                        .column("bool", Boolean.class, row -> row.event().first())
                        .column("bool", Boolean.class, row -> row.event().machine())
                        .column("varchar", String.class, row -> row.event().machineReason())
                        .bind(statement, 1);
                statement.executeUpdate();
            }
            return null;
        });
    }
}
