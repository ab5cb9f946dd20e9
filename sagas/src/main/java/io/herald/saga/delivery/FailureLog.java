package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

import static io.herald.saga.delivery.StoreSql.truncate;

/**
 * The failure log ({@code delivery_failure}): one entry per failed, retried or unknown send, and per batch
 * that failed as a whole. Written in the transaction that records the outcome. Callers own the transactions.
 */
@Component
public class FailureLog {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public FailureLog(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    /**
     * Entries as (occurred_at, campaign_id, contact_id, channel, reason, error, attempt, outcome, retry_at,
     * worker_id), one statement for all of them.
     */
    void log(List<Object[]> failures) {
        if (failures.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into delivery_failure (occurred_at, campaign_id, contact_id, channel, reason, error, "
                                 + "attempt, outcome, retry_at, worker_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         failures);
    }

    /**
     * A failure of a flow's send node for one run's contact ({@code outcome} RETRY_SCHEDULED, FAILED or UNKNOWN).
     * Written in the caller's transaction.
     */
    public void logFlowSend(java.util.UUID flowId, String nodeId, java.util.UUID runId, java.util.UUID contactId,
                            Channel channel, String reason, String error, int attempt, String outcome,
                            java.time.Instant retryAt, String workerId) {
        jdbc.update("insert into delivery_failure (occurred_at, source, flow_id, flow_node_id, flow_run_id, contact_id, "
                            + "channel, reason, error, attempt, outcome, retry_at, worker_id) "
                            + "values (?, 'flow', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    now(), flowId, nodeId, runId, contactId, channel.name(), truncate(reason, 64),
                    truncate(error, 2000), attempt, outcome, retryAt == null ? null : Timestamp.from(retryAt),
                    workerId);
    }

    /**
     * A failure of an outgoing webhook subscription (source {@code webhook}): a message dead-lettered after its last
     * retry, or the subscription disabled. Written in the caller's transaction.
     */
    public void logWebhook(String subscriptionId, String messageId, String reason, String error, int attempt,
                           String outcome, java.time.Instant retryAt) {
        jdbc.update("insert into delivery_failure (occurred_at, source, webhook_subscription_id, webhook_message_id, "
                            + "channel, reason, error, attempt, outcome, retry_at) "
                            + "values (?, 'webhook', ?, ?, 'WEBHOOK', ?, ?, ?, ?, ?)",
                    now(), subscriptionId, messageId, truncate(reason, 64), truncate(error, 2000), attempt, outcome,
                    retryAt == null ? null : Timestamp.from(retryAt));
    }

    /** A failure about a whole batch (a crash while sending it), with no single recipient. */
    public void logBatchFailure(String campaignId, Channel channel, String reason, String error, String workerId) {
        log(List.<Object[]>of(new Object[] {now(), campaignId, null, channel == null ? "WEBHOOK" : channel.name(),
                reason, truncate(error, 2000), 0, "FAILED", null, workerId}));
    }
}
