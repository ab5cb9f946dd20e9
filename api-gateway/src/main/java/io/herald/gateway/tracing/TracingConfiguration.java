package io.herald.gateway.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * Herald's spans, when tracing is on ({@code herald.tracing.enabled}, set from {@code HERALD_OTLP_ENDPOINT} by
 * {@link TracingEnvironment}); with tracing off none of these beans exists and no interceptor is in any path.
 * <p>
 * Axon 4.13's own tracing module is not used: its Spring Boot auto-configuration takes the <em>global</em>
 * OpenTelemetry instance, which Spring Boot never registers, and the module does not resolve at 4.13 here
 * (README, "Traces"). Instead a few interceptors take their tracer from Spring Boot's {@link OpenTelemetry} (the
 * one Micrometer Tracing exports through): the trace travels in message metadata ({@code traceparent}), put on
 * dispatched commands by {@link TraceDispatchInterceptor} and on produced messages by
 * {@link TraceCorrelationDataProvider}; {@link TraceHandlerInterceptor} opens the command handlers' and event
 * processors' spans; the sagas module's {@code DeliveryTracing} the delivery worker's.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = TracingEnvironment.ENABLED, havingValue = "true")
@EnableConfigurationProperties(TracingProperties.class)
public class TracingConfiguration {

    static final String INSTRUMENTATION = "io.herald";

    @Bean
    HeraldTracer heraldTracer(OpenTelemetry openTelemetry) {
        return new HeraldTracer(openTelemetry.getTracer(INSTRUMENTATION));
    }

    /** The tracer Herald's spans are made with. */
    public record HeraldTracer(Tracer tracer) {
    }

    @Bean
    CorrelationDataProvider traceCorrelationDataProvider() {
        return new TraceCorrelationDataProvider();
    }

    /** Every event processor (projections, sagas, the flow runtime) opens a span per event that carries a trace. */
    @Bean
    ConfigurerModule tracedEventProcessors(HeraldTracer tracer, TracingProperties properties, Clock clock) {
        return configurer -> configurer.eventProcessing().registerDefaultHandlerInterceptor(
                (config, processorName) -> TraceHandlerInterceptor.forProcessor(tracer.tracer(), processorName,
                                                                                properties.maxParentAge(), clock));
    }

    /** Commands carry the sender's trace, and their handling is a span of it. */
    @Bean
    InitializingBean tracedCommandBus(CommandBus commandBus, HeraldTracer tracer) {
        return () -> {
            commandBus.registerDispatchInterceptor(new TraceDispatchInterceptor<CommandMessage<?>>());
            commandBus.registerHandlerInterceptor(TraceHandlerInterceptor.forCommands(tracer.tracer()));
        };
    }
}
