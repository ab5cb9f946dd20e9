package io.herald.command.contact;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.herald.command.CommandSideProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/**
 * Keeps the message ids of identify calls ({@code tracking_message}) for
 * {@code herald.tracking.message-id-retention} (default 30 days): long enough for any client's
 * retries (Segment's own de-duplication window is a day), short enough that the table does not
 * grow with every call ever received. A recurring db-scheduler task, so one instance of a cluster
 * prunes at a time.
 */
@Configuration(proxyBeanMethods = false)
class TrackingMessageRetention {

    static final String TASK = "tracking-message-retention";
    private static final Logger log = LoggerFactory.getLogger(TrackingMessageRetention.class);

    @Bean
    RecurringTask<Void> trackingMessageRetentionTask(
            TrackingMessages messages, Clock clock, CommandSideProperties properties) {
        Duration retention = properties.tracking().messageIdRetention();
        Duration interval = properties.tracking().messageIdPruningInterval();
        return Tasks.recurring(TASK, FixedDelay.of(interval))
                .execute((instance, context) -> {
                    long forgotten = messages.forgetReceivedBefore(clock.instant().minus(retention));
                    if (forgotten > 0) {
                        log.info("Forgot {} tracking message ids received more than {} ago", forgotten, retention);
                    }
                });
    }
}
