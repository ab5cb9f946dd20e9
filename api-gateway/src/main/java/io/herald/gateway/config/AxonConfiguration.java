package io.herald.gateway.config;

import io.herald.api.common.MetadataKeys;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.BeanValidationInterceptor;
import io.herald.gateway.web.CommittedUpdates;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The gateway's part of Axon: the command gateway (metadata and bean validation on every command)
 * and the actor and correlation id of each command carried on to every event it causes. The event
 * store, serializer, Axon's tables and the processors' defaults are the eventstore module's; each
 * module registers its own processing groups.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfiguration {

    /** causationId: the id of the message that caused this one; traceId: the id of the first message. */
    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider(MetadataKeys.CAUSATION_ID, MetadataKeys.TRACE_ID);
    }

    /** The actor and the request's correlation id travel unchanged from command to events to later commands. */
    @Bean
    CorrelationDataProvider actorAndCorrelationProvider() {
        return new SimpleCorrelationDataProvider(MetadataKeys.ACTOR, MetadataKeys.CORRELATION_ID);
    }

    /** Handlers log with the correlation id and actor of the message they handle (commands and every processor). */
    @Bean
    ConfigurerModule metadataInProcessorLogs() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultHandlerInterceptor((config, processorName) -> new MetadataMdcInterceptor());
    }

    @Bean
    InitializingBean metadataInCommandLogs(CommandBus commandBus) {
        return () -> commandBus.registerHandlerInterceptor(new MetadataMdcInterceptor());
    }

    @Bean
    CommandGateway commandGateway(CommandBus commandBus, CommandMetadataInterceptor metadataInterceptor) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .dispatchInterceptors(metadataInterceptor, new BeanValidationInterceptor<>())
                .build();
    }

    /**
     * Axon's query update emitter, wrapped so that it also hands a write its own committed view
     * ({@link CommittedUpdates}, used by {@link io.herald.gateway.web.WritePath}). Axon's auto-configuration
     * defines the emitter unconditionally, hence a wrapper instead of a bean of Herald's.
     */
    @Bean
    static BeanPostProcessor committedUpdatesAroundQueryUpdateEmitter() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof QueryUpdateEmitter emitter && !(bean instanceof CommittedUpdates)
                        ? new CommittedUpdates(emitter) : bean;
            }
        };
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
