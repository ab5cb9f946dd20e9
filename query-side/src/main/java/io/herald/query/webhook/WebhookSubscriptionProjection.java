package io.herald.query.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import io.herald.api.webhook.FindWebhookSubscriptionQuery;
import io.herald.api.webhook.FindWebhookSubscriptionsQuery;
import io.herald.api.webhook.WebhookSubscriptionCreatedEvent;
import io.herald.api.webhook.WebhookSubscriptionDefinition;
import io.herald.api.webhook.WebhookSubscriptionDeletedEvent;
import io.herald.api.webhook.WebhookSubscriptionDisabledEvent;
import io.herald.api.webhook.WebhookSubscriptionList;
import io.herald.api.webhook.WebhookSubscriptionUpdatedEvent;
import io.herald.api.webhook.WebhookSubscriptionView;
import io.herald.eventstore.database.Json;
import io.herald.query.QuerySideProcessing;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The webhook subscriptions read model ({@code webhook_subscription}), written in the subscription command's own
 * transaction (it shares the subscribing group of the flow definitions), so a write answers with the subscription as
 * stored and its ETag. Each row keeps the last sequence applied: a replay changes nothing twice.
 */
@Component
@ProcessingGroup(QuerySideProcessing.FLOW_DEFINITIONS)
class WebhookSubscriptionProjection {

    private static final TypeReference<List<String>> TYPES = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, url, event_types::text, description, enabled, campaign_failure_rate, "
            + "start_from, disabled_reason, created_at, updated_at, version";

    private final JdbcTemplate jdbc;

    WebhookSubscriptionProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @EventHandler
    void on(WebhookSubscriptionCreatedEvent event, @SequenceNumber long sequence) {
        WebhookSubscriptionDefinition d = event.definition();
        jdbc.update("insert into webhook_subscription (id, url, event_types, description, enabled, "
                            + "campaign_failure_rate, start_from, created_at, updated_at, version) "
                            + "values (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
                    event.subscriptionId(), d.url(), Json.write(d.eventTypes()), d.description(), d.enabled(),
                    d.campaignFailureRate(), time(event.startFrom()), time(event.createdAt()),
                    time(event.createdAt()), sequence);
    }

    @EventHandler
    void on(WebhookSubscriptionUpdatedEvent event, @SequenceNumber long sequence) {
        WebhookSubscriptionDefinition d = event.definition();
        jdbc.update("update webhook_subscription set url = ?, event_types = ?::jsonb, description = ?, enabled = ?, "
                            + "campaign_failure_rate = ?, disabled_reason = null, updated_at = ?, version = ? "
                            + "where id = ? and version < ?",
                    d.url(), Json.write(d.eventTypes()), d.description(), d.enabled(), d.campaignFailureRate(),
                    time(event.updatedAt()), sequence, event.subscriptionId(), sequence);
    }

    @EventHandler
    void on(WebhookSubscriptionDisabledEvent event, @SequenceNumber long sequence) {
        jdbc.update("update webhook_subscription set enabled = false, disabled_reason = ?, updated_at = ?, "
                            + "version = ? where id = ? and version < ?",
                    event.reason(), time(event.disabledAt()), sequence, event.subscriptionId(), sequence);
    }

    @EventHandler
    void on(WebhookSubscriptionDeletedEvent event) {
        jdbc.update("delete from webhook_subscription where id = ?", event.subscriptionId());
    }

    @ResetHandler
    void reset() {
        jdbc.update("delete from webhook_subscription");
    }

    @QueryHandler
    WebhookSubscriptionView handle(FindWebhookSubscriptionQuery query) {
        List<WebhookSubscriptionView> found = jdbc.query("select " + COLUMNS + " from webhook_subscription where id = ?",
                                                         ROW, query.subscriptionId());
        return found.isEmpty() ? null : found.get(0);
    }

    @QueryHandler
    WebhookSubscriptionList handle(FindWebhookSubscriptionsQuery query) {
        return new WebhookSubscriptionList(jdbc.query("select " + COLUMNS + " from webhook_subscription "
                                                              + "order by created_at desc, id", ROW));
    }

    private static final RowMapper<WebhookSubscriptionView> ROW = (rs, row) -> new WebhookSubscriptionView(
            rs.getString(1), rs.getString(2), Json.read(rs.getString(3), TYPES), rs.getString(4), rs.getBoolean(5),
            (Double) rs.getObject(6), instant(rs.getTimestamp(7)), rs.getString(8), instant(rs.getTimestamp(9)),
            instant(rs.getTimestamp(10)), rs.getLong(11));

    private static Timestamp time(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
