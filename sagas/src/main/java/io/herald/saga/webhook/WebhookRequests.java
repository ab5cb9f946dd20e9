package io.herald.saga.webhook;

import io.herald.api.common.DomainException;
import io.herald.api.webhook.CheckWebhookTargetQuery;
import io.herald.api.webhook.FindWebhookDeliveriesQuery;
import io.herald.api.webhook.RedeliverFailedWebhookMessagesCommand;
import io.herald.api.webhook.RedeliverWebhookMessageCommand;
import io.herald.api.webhook.SendWebhookTestCommand;
import io.herald.api.webhook.WebhookDeliveryPage;
import io.herald.api.webhook.WebhookEventTypes;
import io.herald.api.webhook.WebhookTargetCheck;
import io.herald.eventstore.database.Json;
import io.herald.saga.channel.OutboundUrlGuard;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API asks of the dispatcher: a test message, redeliveries, the deliveries with their attempts, and whether
 * a URL may be called at all.
 */
class WebhookRequests {

    private static final Set<String> STATUSES = Set.of("PENDING", "SENDING", "SUCCEEDED", "FAILED");

    private final JdbcTemplate jdbc;
    private final WebhookSecrets secrets;
    private final WebhookOutbox outbox;
    private final OutboundUrlGuard guard;
    private final Clock clock;

    WebhookRequests(DataSource dataSource, WebhookSecrets secrets, WebhookOutbox outbox, OutboundUrlGuard guard,
                    Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.secrets = secrets;
        this.outbox = outbox;
        this.guard = guard;
        this.clock = clock;
    }

    @CommandHandler
    String handle(SendWebhookTestCommand command) {
        requireExists(command.subscriptionId());
        Instant now = clock.instant();
        String id = "msg_" + java.util.UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscriptionId", command.subscriptionId());
        data.put("message", "This is a test message from Herald.");
        jdbc.update("insert into webhook_message (id, subscription_id, event_type, occurred_at, data, status, "
                            + "next_attempt_at, created_at) values (?, ?, ?, ?, ?::jsonb, 'PENDING', ?, ?)",
                    id, command.subscriptionId(), WebhookEventTypes.WEBHOOK_TEST, Timestamp.from(now),
                    Json.write(data), Timestamp.from(now), Timestamp.from(now));
        return id;
    }

    @CommandHandler
    int handle(RedeliverWebhookMessageCommand command) {
        requireExists(command.subscriptionId());
        List<String> status = jdbc.queryForList("select status from webhook_message where id = ? and subscription_id = ?",
                                                String.class, command.deliveryId(), command.subscriptionId());
        if (status.isEmpty()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "webhook.delivery.not-found",
                                      "No delivery " + command.deliveryId() + " of this subscription");
        }
        if ("SENDING".equals(status.get(0))) {
            throw new DomainException(DomainException.Kind.CONFLICT, "webhook.delivery.sending",
                                      "The delivery is being sent right now");
        }
        return jdbc.update("update webhook_message set status = 'PENDING', next_attempt_at = ?, attempts = 0 "
                                   + "where id = ? and status <> 'SENDING'",
                           Timestamp.from(clock.instant()), command.deliveryId());
    }

    @CommandHandler
    int handle(RedeliverFailedWebhookMessagesCommand command) {
        requireExists(command.subscriptionId());
        return jdbc.update("update webhook_message set status = 'PENDING', next_attempt_at = ?, attempts = 0 "
                                   + "where subscription_id = ? and status = 'FAILED'",
                           Timestamp.from(clock.instant()), command.subscriptionId());
    }

    @QueryHandler
    WebhookTargetCheck handle(CheckWebhookTargetQuery query) {
        try {
            return new WebhookTargetCheck(guard.refusal(new URI(query.url())).orElse(null));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return new WebhookTargetCheck("not a URL");
        }
    }

    @QueryHandler
    WebhookDeliveryPage handle(FindWebhookDeliveriesQuery query) {
        int limit = Math.clamp(query.limit(), 1, 200);
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select id, sequence, event_type, status, attempts, created_at, "
                                                      + "next_attempt_at, delivered_at from webhook_message "
                                                      + "where subscription_id = ?");
        params.add(query.subscriptionId());
        if (query.status() != null) {
            if (!STATUSES.contains(query.status())) {
                throw DomainException.invalid("status", "webhook.delivery.status-invalid",
                                              "status: PENDING, SENDING, SUCCEEDED or FAILED");
            }
            sql.append(" and status = ?");
            params.add(query.status());
        }
        if (query.before() != null) {
            sql.append(" and sequence < ?");
            params.add(query.before());
        }
        sql.append(" order by sequence desc limit ?");
        params.add(limit + 1);
        List<Object[]> rows = jdbc.query(sql.toString(), (rs, row) -> new Object[] {rs.getString(1), rs.getLong(2),
                rs.getString(3), rs.getString(4), rs.getInt(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                instant(rs.getTimestamp(8))}, params.toArray());
        Long next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = (Long) rows.get(limit - 1)[1];
        }
        Map<String, List<WebhookDeliveryPage.WebhookAttempt>> attempts = new LinkedHashMap<>();
        if (!rows.isEmpty()) {
            String[] ids = rows.stream().map(r -> (String) r[0]).toArray(String[]::new);
            jdbc.query("select message_id, attempt, status, response_code, response_body, duration_ms, error, "
                               + "attempted_at, next_attempt_at from webhook_attempt where message_id = any(?) "
                               + "order by message_id, id",
                       rs -> {
                           attempts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(
                                   new WebhookDeliveryPage.WebhookAttempt(rs.getInt(2), rs.getString(3),
                                                                   (Integer) rs.getObject(4), rs.getString(5),
                                                                   rs.getLong(6), rs.getString(7),
                                                                   instant(rs.getTimestamp(8)),
                                                                   instant(rs.getTimestamp(9))));
                       }, (Object) ids);
        }
        List<WebhookDeliveryPage.WebhookDelivery> items = rows.stream().map(r -> new WebhookDeliveryPage.WebhookDelivery(
                (String) r[0], (Long) r[1], (String) r[2], (String) r[3], (Integer) r[4], (Instant) r[5],
                "PENDING".equals(r[3]) ? (Instant) r[6] : null, (Instant) r[7],
                attempts.getOrDefault((String) r[0], List.of()))).toList();
        return new WebhookDeliveryPage(items, next);
    }

    private void requireExists(String subscriptionId) {
        if (!secrets.exists(subscriptionId)) {
            throw WebhookSecrets.notFound(subscriptionId);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
