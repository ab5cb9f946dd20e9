package io.herald.gateway.config;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The live-update processors: they push changes to subscription queries (server-sent event streams).
 * Each instance runs its own copy of each, reading the event stream from its head with a token kept in
 * memory, so every instance sees every change whichever instance made it: the event store is the
 * fan-out (no broker, works the same with one instance or ten, with or without Redis).
 */
@Configuration(proxyBeanMethods = false)
public class LiveProcessorsConfiguration {

    /** Processing groups of the live-update handlers (delivery progress and failures; contact imports). */
    static final List<String> LIVE_GROUPS = List.of("delivery-live", "audience-live");

    /** They read {@link PromptEventSource}, which leaves out the (many) event types they don't handle. */
    @Bean
    ConfigurerModule liveProcessors(ObjectProvider<PromptEventSource> source) {
        return configurer -> configurer.eventProcessing(processing -> {
            for (String group : LIVE_GROUPS) {
                processing.registerTrackingEventProcessor(
                                group, c -> source.getObject(),
                                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                        .andBatchSize(100)
                                        .andInitialTrackingToken(StreamableMessageSource::createHeadToken))
                        .registerTokenStore(group, c -> new InMemoryTokenStore());
            }
        });
    }
}
