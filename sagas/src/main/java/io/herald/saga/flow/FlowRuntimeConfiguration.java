package io.herald.saga.flow;

import io.herald.api.campaign.Channel;
import io.herald.saga.channel.ChannelAdapter;
import io.herald.saga.delivery.DeliveryConfiguration;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/** The flow runtime: this instance's flow worker (on unless {@code herald.flow.runtime.enabled=false}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FlowRuntimeProperties.class)
public class FlowRuntimeConfiguration {

    @Bean
    @ConditionalOnProperty(name = "herald.flow.runtime.enabled", havingValue = "true", matchIfMissing = true)
    FlowWorker flowWorker(FlowRunStore store, FlowDefinitions definitions, QueryGateway queries,
                          CommandGateway commands, DeliveryConfiguration.DeliveryChannels channels,
                          FlowRuntimeProperties properties, PlatformTransactionManager transactionManager,
                          Clock clock) {
        ChannelAdapter webhook = channels.adapters().stream().filter(a -> a.channel() == Channel.WEBHOOK).findFirst()
                .orElseThrow(() -> new IllegalStateException("no webhook channel"));
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        FlowRunner runner = new FlowRunner(store, definitions, queries, commands, webhook, properties, transactions,
                                           clock);
        return new FlowWorker(store, definitions, runner, properties, transactions, clock);
    }
}
