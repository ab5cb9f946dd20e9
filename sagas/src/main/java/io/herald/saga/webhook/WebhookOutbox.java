package io.herald.saga.webhook;

import io.herald.api.webhook.WebhookEventTypes;
import io.herald.eventstore.database.Json;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * Writes messages into the outbox ({@code webhook_message}), one row per subscription that takes the type. A message
 * with a source key is queued once per subscription (a replay or a redelivered event queues nothing twice); a
 * {@code delivery.failed} message joins the one of its campaign and minute while that one waits. Callers own the
 * transaction.
 */
public class WebhookOutbox {

    private static final String INSERT = "insert into webhook_message (id, subscription_id, event_type, occurred_at, "
            + "data, source_key, batch_key, status, next_attempt_at, created_at) "
            + "select 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.subscription_id, ?, ?, ?::jsonb, ?, ?, "
            + "'PENDING', ?, ? from webhook_endpoint e where ? = any(e.event_types) ";
    private static final String ON_SOURCE = " on conflict (subscription_id, source_key) where source_key is not null "
            + "do nothing";
    private static final String ON_BATCH = " on conflict (subscription_id, batch_key) where batch_key is not null "
            + "and status = 'PENDING' do update set data = jsonb_set(jsonb_set(webhook_message.data, '{count}', "
            + "to_jsonb((webhook_message.data->>'count')::int + (excluded.data->>'count')::int)), '{failures}', "
            + "(webhook_message.data->'failures') || (excluded.data->'failures'))";

    private final JdbcTemplate jdbc;
    private final WebhookWakeUp wakeUp;

    WebhookOutbox(DataSource dataSource, WebhookWakeUp wakeUp) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.wakeUp = wakeUp;
    }

    /** An insert into the outbox; the sender is woken when the caller's transaction commits, if it queued any. */
    private int queued(int rows) {
        if (rows > 0) {
            wakeUp.afterCommit();
        }
        return rows;
    }

    /** Queues to every enabled subscription taking the type (but {@code except}, when given). */
    int queueLive(WebhookEvents.Outgoing message, Instant now, String except) {
        String where = "and e.enabled" + (except == null ? "" : " and e.subscription_id <> ?");
        Object[] args = args(message, now, except == null ? new Object[0] : new Object[] {except});
        return queued(jdbc.update(INSERT + where + (message.batchKey() == null ? ON_SOURCE : ON_BATCH), args));
    }

    /**
     * A flow run entered, completed or left its flow ({@code flow.entered}, {@code flow.completed},
     * {@code flow.exited}): queued by the flow runtime in the transaction that records it (runs are rows of
     * {@code flow_run}, not events), once per run and type.
     */
    public void queueFlowRun(String type, java.util.UUID flowId, int version, java.util.UUID runId,
                             java.util.UUID contactId, String nodeId, String reason, Instant now) {
        queueLive(flowRunMessage(type, flowId, version, runId, contactId, nodeId, reason, now), now, null);
    }

    private static WebhookEvents.Outgoing flowRunMessage(String type, java.util.UUID flowId, int version,
                                                         java.util.UUID runId, java.util.UUID contactId,
                                                         String nodeId, String reason, Instant now) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("flowId", flowId.toString());
        data.put("flowVersion", version);
        data.put("runId", runId.toString());
        data.put("contactId", contactId == null ? null : contactId.toString());
        data.put("nodeId", nodeId);
        data.put("reason", reason);
        return new WebhookEvents.Outgoing(type, data, "flow-run:" + runId + ":" + type, null, now);
    }

    /** A flow run that ended: {@code flow.completed} or {@code flow.exited}, as {@link #queueFlowRun} takes it. */
    public record FlowRunEnd(String type, java.util.UUID flowId, int version, java.util.UUID runId,
                             java.util.UUID contactId, String nodeId, String reason, Instant at) {
    }

    /**
     * {@link #queueFlowRun} for several runs that ended in one transaction (a flow worker's batch): the same
     * messages, queued in their order in one statement.
     */
    public void queueFlowRunEnds(java.util.List<FlowRunEnd> ends) {
        if (ends.isEmpty()) {
            return;
        }
        java.util.List<WebhookEvents.Outgoing> messages = new java.util.ArrayList<>(ends.size());
        for (FlowRunEnd end : ends) {
            messages.add(flowRunMessage(end.type(), end.flowId(), end.version(), end.runId(), end.contactId(),
                                        end.nodeId(), end.reason(), end.at()));
        }
        queueLiveInOrder(messages, ends.get(ends.size() - 1).at());
    }

    /**
     * {@link #queueLive} for the messages of several events, in their order: each run of source-keyed messages in
     * one statement (arrays of the messages joined with the subscriptions that take their types, in the messages'
     * order, so the outbox's sequence keeps it); a batch-keyed one ({@code delivery.failed}) is merged on its own
     * between them.
     */
    void queueLiveInOrder(java.util.List<WebhookEvents.Outgoing> messages, Instant now) {
        java.util.List<WebhookEvents.Outgoing> run = new java.util.ArrayList<>(messages.size());
        for (WebhookEvents.Outgoing message : messages) {
            if (message.batchKey() != null) {
                insertLive(run, now);
                queueLive(message, now, null);
            } else {
                run.add(message);
            }
        }
        insertLive(run, now);
    }

    private static final String INSERT_ALL = "insert into webhook_message (id, subscription_id, event_type, "
            + "occurred_at, data, source_key, batch_key, status, next_attempt_at, created_at) "
            + "select 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.subscription_id, u.type, u.occurred, "
            + "u.data::jsonb, u.source, null, 'PENDING', u.due, ? "
            + "from unnest(?::varchar[], ?::timestamptz[], ?::text[], ?::varchar[], ?::timestamptz[]) "
            + "with ordinality as u(type, occurred, data, source, due, ord) "
            + "join webhook_endpoint e on u.type = any(e.event_types) and e.enabled "
            + "order by u.ord, e.subscription_id" + ON_SOURCE;

    private void insertLive(java.util.List<WebhookEvents.Outgoing> run, Instant now) {
        if (run.isEmpty()) {
            return;
        }
        int n = run.size();
        String[] types = new String[n];
        Timestamp[] occurred = new Timestamp[n];
        String[] data = new String[n];
        String[] sources = new String[n];
        Timestamp[] due = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            Object[] a = args(run.get(i), now, new Object[0]); // type, occurred, data, source, batch, due, now, type
            types[i] = (String) a[0];
            occurred[i] = (Timestamp) a[1];
            data[i] = (String) a[2];
            sources[i] = (String) a[3];
            due[i] = (Timestamp) a[5];
        }
        queued(jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Integer>) c -> {
            try (java.sql.PreparedStatement insert = c.prepareStatement(INSERT_ALL)) {
                insert.setTimestamp(1, Timestamp.from(now));
                insert.setArray(2, c.createArrayOf("varchar", types));
                insert.setArray(3, c.createArrayOf("timestamptz", occurred));
                insert.setArray(4, c.createArrayOf("text", data));
                insert.setArray(5, c.createArrayOf("varchar", sources));
                insert.setArray(6, c.createArrayOf("timestamptz", due));
                return insert.executeUpdate();
            }
        }));
        run.clear();
    }

    /** Queues to one subscription, if it takes the type (a replay: whether it is enabled or not). */
    int queueFor(String subscriptionId, WebhookEvents.Outgoing message, Instant now) {
        return queued(jdbc.update(INSERT + "and e.subscription_id = ?"
                                          + (message.batchKey() == null ? ON_SOURCE : ON_BATCH),
                                  args(message, now, new Object[] {subscriptionId})));
    }

    /**
     * Queues {@code campaign.failed} (once per subscription and campaign). With {@code reason}
     * {@code failure-rate}: to the subscriptions whose threshold the campaign's {@code failed / finished} is above;
     * with any other reason (the campaign FAILED, or completed without a send going out): to every enabled
     * subscription taking the type. {@code detail}: the campaign's own words for it (null for the derived reasons).
     */
    int queueCampaignFailed(String campaignId, String reason, String detail, long finished, long failed, Instant now) {
        double rate = finished == 0 ? 0 : (double) failed / finished;
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("campaignId", campaignId);
        data.put("reason", reason);
        data.put("detail", detail);
        data.put("failureRate", finished == 0 ? null : rate);
        data.put("finished", finished);
        data.put("failed", failed);
        WebhookEvents.Outgoing message = new WebhookEvents.Outgoing(WebhookEventTypes.CAMPAIGN_FAILED, data,
                                                                    WebhookEvents.campaignFailedKey(campaignId), null, now);
        if (!FAILURE_RATE.equals(reason)) {
            return queued(jdbc.update(INSERT + "and e.enabled" + ON_SOURCE, args(message, now, new Object[0])));
        }
        return queued(jdbc.update(INSERT + "and e.enabled and e.campaign_failure_rate is not null "
                                          + "and e.campaign_failure_rate < ?" + ON_SOURCE,
                                  args(message, now, new Object[] {rate})));
    }

    static final String FAILURE_RATE = "failure-rate";

    /** occurred_at: the event's time (a batch: its minute); next_attempt_at: when it may go out. */
    private static Object[] args(WebhookEvents.Outgoing message, Instant now, Object[] extra) {
        Instant due = message.dueAt() == null ? now : message.dueAt();
        Instant occurred = message.batchKey() == null ? due : due.minusSeconds(60);
        Object[] base = {message.type(), Timestamp.from(occurred), Json.write(message.data()), message.sourceKey(),
                message.batchKey(), Timestamp.from(due), Timestamp.from(now), message.type()};
        Object[] all = new Object[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }
}
