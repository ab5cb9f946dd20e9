package io.herald.saga.flow;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.herald.saga.SagaProcessing;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A tracked event whose trigger handling fails (the database unreachable mid-batch, a flow whose filter cannot be
 * evaluated) is not dropped, as Axon's default error handler would, and does not stop every trigger behind it either:
 * it is parked in {@code dead_letter_entry} (processing group {@code flow-triggers}), and a recurring task retries the
 * parked events every {@code herald.flow.runtime.trigger-retry} (default 1 minute; one instance of a cluster at a time)
 * until they are handled. Events of the same sequence as a parked one (Axon's sequencing policy: the same aggregate)
 * are parked behind it, so their order holds.
 */
@Configuration(proxyBeanMethods = false)
class FlowTriggerDeadLetters {

    static final String TASK = "flow-trigger-dead-letters";
    /** Sequences retried per run of the task, at most (the rest wait for the next run). */
    private static final int SEQUENCES_PER_RUN = 1_000;
    private static final Logger log = LoggerFactory.getLogger(FlowTriggerDeadLetters.class);

    @Bean
    ConfigurerModule flowTriggerDeadLetterQueue(ConnectionProvider connectionProvider,
                                                TransactionManager transactionManager, DeadLetterSchema schema,
                                                Serializer serializer) {
        return configurer -> configurer.eventProcessing(processing -> processing.registerDeadLetterQueue(
                SagaProcessing.FLOW_TRIGGERS, c -> JdbcSequencedDeadLetterQueue.<EventMessage<?>>builder()
                        .processingGroup(SagaProcessing.FLOW_TRIGGERS)
                        .connectionProvider(connectionProvider)
                        .transactionManager(transactionManager)
                        .schema(schema)
                        .genericSerializer(serializer)
                        .eventSerializer(serializer)
                        .build()));
    }

    @Bean
    RecurringTask<Void> flowTriggerDeadLetterRetryTask(ObjectProvider<EventProcessingConfiguration> processing,
                                                        FlowRuntimeProperties properties) {
        return Tasks.recurring(TASK, FixedDelay.of(properties.triggerRetry()))
                .execute((instance, context) -> processing.getObject()
                        .sequencedDeadLetterProcessor(SagaProcessing.FLOW_TRIGGERS)
                        .ifPresent(processor -> {
                            int handled = 0;
                            while (handled < SEQUENCES_PER_RUN && processor.processAny()) {
                                handled++;
                            }
                            if (handled > 0) {
                                log.info("Handled {} parked sequence(s) of flow-trigger events", handled);
                            }
                        }));
    }
}
