package io.herald.saga.flow;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code herald.flow.runtime.*}: the flow runtime's workers (every key has a default; environment variables
 * {@code HERALD_FLOW_RUNTIME_*} set them).
 *
 * @param enabled            run a flow worker in this instance
 * @param batchSize          due runs claimed at a time (a worker holds at most two batches' runs at once)
 * @param pollInterval       how often an idle worker looks for due runs (a wait fires at most this late, plus the
 *                           time to reach it in the queue)
 * @param lease              how long a claim holds a run; a worker killed mid-run leaves it to another after this
 * @param webhookMaxAttempts attempts in all for a webhook or send node's transient failures (5xx, 408, 429, timeouts)
 * @param webhookRetry       the wait before the first retry (doubled each time)
 * @param entryKeyRetention  how long the answer to an entries call with an Idempotency-Key is kept (a repeat after
 *                           that is a new call)
 * @param entryKeyPruning    how often a recurring task (one instance at a time) forgets older answers
 * @param triggerRetry       how often tracked events whose trigger handling failed (parked in
 *                           {@code dead_letter_entry}) are tried again
 */
@ConfigurationProperties("herald.flow.runtime")
public record FlowRuntimeProperties(Boolean enabled, Integer batchSize, Duration pollInterval, Duration lease,
                                    Integer webhookMaxAttempts, Duration webhookRetry, Duration entryKeyRetention,
                                    Duration entryKeyPruning, Duration triggerRetry) {

    public FlowRuntimeProperties {
        enabled = enabled == null || enabled;
        batchSize = batchSize == null ? 100 : batchSize;
        pollInterval = pollInterval == null ? Duration.ofMillis(200) : pollInterval;
        lease = lease == null ? Duration.ofSeconds(30) : lease;
        webhookMaxAttempts = webhookMaxAttempts == null ? 5 : webhookMaxAttempts;
        webhookRetry = webhookRetry == null ? Duration.ofSeconds(30) : webhookRetry;
        entryKeyRetention = positive(entryKeyRetention, Duration.ofHours(24), "entry-key-retention");
        entryKeyPruning = positive(entryKeyPruning, Duration.ofHours(1), "entry-key-pruning");
        triggerRetry = positive(triggerRetry, Duration.ofMinutes(1), "trigger-retry");
    }

    private static Duration positive(Duration value, Duration fallback, String key) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("herald.flow.runtime." + key + " must be positive, not " + value);
        }
        return value;
    }
}
