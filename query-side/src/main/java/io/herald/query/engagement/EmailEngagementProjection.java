package io.herald.query.engagement;

import io.herald.api.engagement.EmailOpenedEvent;
import io.herald.api.engagement.EngagementEvent;
import io.herald.api.engagement.LinkClickedEvent;
import io.herald.api.feedback.EmailBouncedEvent;
import io.herald.api.feedback.EmailComplainedEvent;
import io.herald.api.feedback.EmailFeedbackEvent;
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
 * The e-mail engagement read model ({@code email_engagement}): every open and click, bounce and complaint by contact,
 * for the contact's timeline. Its processing group, {@value #PROCESSING_GROUP}, is subscribing: rows are written in the transaction of
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

    private record Row(String eventId, String kind, String contactId, String deliveryId, String campaignId,
                       String flowId, String flowNodeId, String link, Integer linkIndex, Instant at, boolean first,
                       boolean machine, String machineReason) {

        Row(String eventId, String kind, EngagementEvent event, String link, Integer linkIndex, Instant at) {
            this(eventId, kind, event.contactId(), event.deliveryId(), event.campaignId(), event.flowId(),
                 event.flowNodeId(), link, linkIndex, at, event.first(), event.machine(), event.machineReason());
        }

        /** A bounce or complaint: {@code link} holds the bounce's kind ({@code hard}/{@code soft}) or the complaint's type. */
        Row(String eventId, String kind, EmailFeedbackEvent event, String detail, Instant at) {
            this(eventId, kind, event.contactId(), event.deliveryId(), event.campaignId(), event.flowId(),
                 event.flowNodeId(), detail, null, at, false, false, null);
        }
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

    @EventHandler
    void on(EmailBouncedEvent event, @MessageIdentifier String eventId) {
        rows().add(new Row(eventId, "BOUNCE", event, event.hard() ? "hard" : "soft", event.bouncedAt()));
    }

    @EventHandler
    void on(EmailComplainedEvent event, @MessageIdentifier String eventId) {
        rows().add(new Row(eventId, "COMPLAINT", event, event.complaintType(), event.complainedAt()));
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
                        .column("uuid", String.class, Row::contactId)
                        .column("varchar", String.class, Row::kind)
                        .column("varchar", String.class, Row::deliveryId)
                        .column("varchar", String.class, Row::campaignId)
                        .column("varchar", String.class, Row::flowId)
                        .column("varchar", String.class, Row::flowNodeId)
                        .column("text", String.class, Row::link)
                        .column("int4", Integer.class, Row::linkIndex)
                        .column("timestamptz", String.class, row -> row.at().toString())
                        .column("bool", Boolean.class, Row::first)
                        .column("bool", Boolean.class, Row::machine)
                        .column("varchar", String.class, Row::machineReason)
                        .bind(statement, 1);
                statement.executeUpdate();
            }
            return null;
        });
    }
}
