package io.herald.eventstore;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.ObjectProvider;

import java.util.List;

/**
 * How a module registers its own processing groups, from a {@code ConfigurerModule} bean of its own
 * configuration. Groups registered by no one run as pooled streaming processors reading
 * {@link PromptEventSource} ({@link EventStoreConfiguration}), with the settings of
 * {@code axon.eventhandling.processors.<group>}.
 */
public final class ProcessingGroups {

    private ProcessingGroups() {
    }

    /**
     * Groups that write in the command's own transaction (subscribing): a handler that fails fails
     * the command, which is then refused or retried as a whole, instead of being logged and skipped
     * (Axon's default) while the command commits without its read-model rows.
     */
    public static ConfigurerModule inCommandTransaction(String... groups) {
        List<String> names = List.of(groups);
        return configurer -> configurer.eventProcessing(processing -> {
            for (String group : names) {
                processing.registerListenerInvocationErrorHandler(group, c -> PropagatingErrorHandler.instance());
            }
        });
    }

    /**
     * Live-update groups: they push changes to subscription queries (server-sent event streams).
     * Each instance runs its own copy of each, reading the event stream from its head with a token
     * kept in memory, so every instance sees every change whichever instance made it: the event
     * store is the fan-out (no broker, works the same with one instance or ten, with or without
     * Redis). They read {@link PromptEventSource}, which leaves out the (many) event types they
     * don't handle.
     */
    public static ConfigurerModule live(ObjectProvider<PromptEventSource> source, String... groups) {
        List<String> names = List.of(groups);
        return configurer -> configurer.eventProcessing(processing -> {
            for (String group : names) {
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
