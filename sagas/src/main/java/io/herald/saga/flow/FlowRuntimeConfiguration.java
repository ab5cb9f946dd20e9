package io.herald.saga.flow;

import io.herald.saga.delivery.ChannelConcurrency;
import io.herald.saga.delivery.DeliveryConfiguration;
import io.herald.saga.delivery.FailureLog;
import io.herald.saga.delivery.SendThrottle;
import io.herald.saga.delivery.UnsubscribeLinks;
import io.herald.saga.policy.MessagingPolicyGate;
import io.herald.eventstore.PromptEventSource;
import io.herald.saga.SagaProcessing;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.ObjectProvider;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/**
 * The flow runtime: this instance's flow worker (on unless {@code herald.flow.runtime.enabled=false}) and the
 * event-trigger processor.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FlowRuntimeProperties.class)
public class FlowRuntimeConfiguration {

    /**
     * The event-trigger processor: pooled, reading the prompt event source, its first token at the head of the
     * stream (a new installation does not enter contacts on every event ever tracked).
     */
    @Bean
    ConfigurerModule flowTriggerProcessor(ObjectProvider<PromptEventSource> source) {
        return configurer -> configurer.eventProcessing(processing -> processing.registerPooledStreamingEventProcessor(
                SagaProcessing.FLOW_TRIGGERS, c -> source.getObject(),
                (c, builder) -> builder.initialToken(StreamableMessageSource::createHeadToken)
                        .initialSegmentCount(1).batchSize(100)));
    }

    @Bean
    @ConditionalOnProperty(name = "herald.flow.runtime.enabled", havingValue = "true", matchIfMissing = true)
    FlowWorker flowWorker(FlowRunStore store, FlowDefinitions definitions, QueryGateway queries,
                          CommandGateway commands, DeliveryConfiguration.DeliveryChannels channels,
                          SendThrottle throttle, UnsubscribeLinks unsubscribeLinks,
                          io.herald.saga.engagement.EmailTracking emailTracking, FailureLog failures,
                          MessagingPolicyGate gate, ChannelConcurrency concurrency,
                          FlowRuntimeProperties properties, PlatformTransactionManager transactionManager,
                          Clock clock) {
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        FlowRunner runner = new FlowRunner(store, definitions, queries, commands, channels.adapters(), throttle,
                                           unsubscribeLinks, emailTracking, failures, gate, concurrency, properties,
                                           transactions, clock);
        return new FlowWorker(store, definitions, runner, queries, properties, transactions, clock);
    }
}
