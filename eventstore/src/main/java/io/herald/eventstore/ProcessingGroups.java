package io.herald.eventstore;

import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.lifecycle.Phase;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.ObjectProvider;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * How a module registers its own processing groups, from a {@code ConfigurerModule} bean of its own
 * configuration. Groups registered by no one run as pooled streaming processors reading
 * {@link PromptEventSource} ({@link EventStoreConfiguration}), with the settings of
 * {@code axon.eventhandling.processors.<group>}.
 * <p>
 * <b>Subscribing groups write in the command's transaction, and only there.</b> A subscribing
 * processor's handlers run in the unit of work that publishes the events, before those events are
 * stored: {@link LateAppendStorageEngine} inserts them as the transaction's last write. Whatever a
 * handler writes in that transaction commits with the events or not at all; whatever it writes
 * elsewhere (a new transaction, another thread, another system) stays written when the events'
 * insert then fails (a concurrent write of the same aggregate), and describes events that were never
 * stored. So a group may run subscribing only if its module declares it with
 * {@link #inCommandTransaction} (saying why it must), and its handlers may not leave the
 * transaction. Start-up checks both ({@link SubscribingGroupsCheck}) and refuses to start, naming the
 * group and the handler: a subscribing group nobody declared; an {@code @EventHandler} of a
 * subscribing group that runs {@code @Async} or under {@code @Transactional} with
 * {@code REQUIRES_NEW}, {@code NOT_SUPPORTED} or {@code NEVER} (Spring's or Jakarta's, on the method
 * or its class). What it cannot see (a {@code TransactionTemplate} of its own, a second data
 * source, a call to another service) the handler's author must not do either.
 */
public final class ProcessingGroups {

    private ProcessingGroups() {
    }

    /**
     * A group written in the command's own transaction (subscribing), with the reason it must be:
     * a handler that fails fails the command, which is then refused or retried as a whole, instead of
     * being logged and skipped (Axon's default) while the command commits without its rows. Return it
     * from a bean method declared with this type: start-up collects the declarations by it.
     */
    public static InCommandTransaction inCommandTransaction(String group, String reason) {
        return new InCommandTransaction(group, reason);
    }

    /** A group declared to run in the command's transaction (see {@link #inCommandTransaction}). */
    public static final class InCommandTransaction implements ConfigurerModule {

        private final String group;
        private final String reason;

        private InCommandTransaction(String group, String reason) {
            if (group == null || group.isBlank()) {
                throw new IllegalArgumentException("A group in the command's transaction needs a name");
            }
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("Processing group '" + group
                        + "' in the command's transaction: say why it must be (a reason)");
            }
            this.group = group;
            this.reason = reason;
        }

        public String group() {
            return group;
        }

        public String reason() {
            return reason;
        }

        @Override
        public void configureModule(Configurer configurer) {
            configurer.eventProcessing(processing ->
                    processing.registerListenerInvocationErrorHandler(group, c -> PropagatingErrorHandler.instance()));
        }

        @Override
        public String toString() {
            return group + " (" + reason + ")";
        }
    }

    /**
     * The start-up check of the subscribing groups (see the class): before the subscribing processors
     * subscribe, every one must be declared among {@code declared} and its handlers must not leave the
     * transaction; otherwise start-up fails with every offence named.
     */
    public static ConfigurerModule subscribingGroupsChecked(Supplier<? extends Collection<InCommandTransaction>> declared) {
        return configurer -> configurer.onInitialize(config -> config.onStart(
                Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS - 1,
                () -> SubscribingGroupsCheck.check(config.eventProcessingConfiguration(), declared.get())));
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
