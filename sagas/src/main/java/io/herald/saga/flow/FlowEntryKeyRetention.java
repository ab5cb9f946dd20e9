package io.herald.saga.flow;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/**
 * Keeps the answers to {@code POST /api/flows/{id}/entries} calls with an Idempotency-Key for
 * {@code herald.flow.runtime.entry-key-retention} (default 24 hours, as long as the payment APIs that made the header
 * common keep theirs): long enough for any client's retries, short enough that {@code flow_entry_request} does not
 * grow with every call ever made. A repeat after that is a new call (the entry policy still keeps a contact from
 * entering twice). A recurring db-scheduler task, so one instance of a cluster prunes at a time.
 */
@Configuration(proxyBeanMethods = false)
class FlowEntryKeyRetention {

    static final String TASK = "flow-entry-key-retention";
    private static final Logger log = LoggerFactory.getLogger(FlowEntryKeyRetention.class);

    @Bean
    RecurringTask<Void> flowEntryKeyRetentionTask(FlowRunStore store, Clock clock, FlowRuntimeProperties properties) {
        Duration retention = properties.entryKeyRetention();
        return Tasks.recurring(TASK, FixedDelay.of(properties.entryKeyPruning()))
                .execute((instance, context) -> {
                    int forgotten = store.forgetEntryKeysBefore(clock.instant().minus(retention));
                    if (forgotten > 0) {
                        log.info("Forgot {} flow entry Idempotency-Keys answered more than {} ago", forgotten, retention);
                    }
                });
    }
}
