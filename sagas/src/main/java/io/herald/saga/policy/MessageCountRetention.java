package io.herald.saga.policy;

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
 * Forgets the per-day message counts no frequency cap can look back to (older than 90 days), hourly; a recurring
 * db-scheduler task, so one instance of a cluster prunes at a time.
 */
@Configuration(proxyBeanMethods = false)
class MessageCountRetention {

    static final String TASK = "messaging-policy-count-retention";
    private static final Logger log = LoggerFactory.getLogger(MessageCountRetention.class);

    @Bean
    RecurringTask<Void> messageCountRetentionTask(MessagingPolicyGate gate, Clock clock) {
        return Tasks.recurring(TASK, FixedDelay.of(Duration.ofHours(1)))
                .execute((instance, context) -> {
                    int forgotten = gate.prune(clock.instant());
                    if (forgotten > 0) {
                        log.info("Forgot {} per-day message counts older than any frequency cap", forgotten);
                    }
                });
    }
}
