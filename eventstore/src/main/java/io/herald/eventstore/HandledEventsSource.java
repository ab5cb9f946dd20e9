package io.herald.eventstore;

import org.axonframework.common.Registration;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.SubscribableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The source of a group written in the command's transaction ({@link ProcessingGroups#inCommandTransaction}):
 * the events its handlers can handle, and no others.
 * <p>
 * A subscribing processor takes every event a unit of work publishes and, for each one, opens a unit of
 * work, runs its interceptors and monitors and asks its handlers, even when none of them takes that type:
 * the campaign projection did so for every batch of 100 tracked events, and the tracked-events projection
 * for every campaign command (about 3.5 % of an HTTP campaign create's CPU with four such groups;
 * BENCHMARKS.md). This source passes a group only the events whose payload type one of its handlers can
 * handle ({@code EventHandlerInvoker#canHandleType}, asked once per type), in their order; a batch with none
 * of them is not passed at all.
 * <p>
 * It is also a streamable source (the pooled processors' {@link PromptEventSource}, which skips unhandled
 * types itself), so the group's {@code source} setting stays valid when the group runs pooled for a rebuild
 * ({@code HERALD_..._MODE=pooled}).
 * <p>
 * A module declares one bean of this type per such group and names it in the group's {@code source}
 * setting ({@code axon.eventhandling.processors.<group>.source}).
 */
public final class HandledEventsSource implements SubscribableMessageSource<EventMessage<?>>,
        StreamableMessageSource<TrackedEventMessage<?>> {

    private final String group;
    private final SubscribableMessageSource<EventMessage<?>> published;
    private final StreamableMessageSource<TrackedEventMessage<?>> stored;
    private final Predicate<Class<?>> handlesType;
    private final Map<Class<?>, Boolean> handled = new ConcurrentHashMap<>();

    /**
     * @param group      the processing group
     * @param published  where units of work publish their events (the event store)
     * @param stored     the stored events, for the group running pooled
     * @param processing Axon's processors, to ask the group's handlers which types they take (at the first event)
     */
    public static HandledEventsSource of(String group, SubscribableMessageSource<EventMessage<?>> published,
                                         StreamableMessageSource<TrackedEventMessage<?>> stored,
                                         Supplier<EventProcessingConfiguration> processing) {
        return new HandledEventsSource(group, published, stored, type -> processing.get().eventProcessor(group)
                .filter(AbstractEventProcessor.class::isInstance)
                .map(processor -> ((AbstractEventProcessor) processor).eventHandlerInvoker().canHandleType(type))
                .orElse(Boolean.TRUE));
    }

    HandledEventsSource(String group, SubscribableMessageSource<EventMessage<?>> published,
                        StreamableMessageSource<TrackedEventMessage<?>> stored,
                        Predicate<Class<?>> handlesType) {
        this.group = group;
        this.published = published;
        this.stored = stored;
        this.handlesType = handlesType;
    }

    /** The group this source feeds. */
    public String group() {
        return group;
    }

    @Override
    public Registration subscribe(Consumer<List<? extends EventMessage<?>>> processor) {
        return published.subscribe(events -> {
            List<EventMessage<?>> taken = null;
            for (int i = 0; i < events.size(); i++) {
                EventMessage<?> event = events.get(i);
                boolean takes = handles(event.getPayloadType());
                if (takes && taken != null) {
                    taken.add(event);
                } else if (!takes && taken == null) {
                    taken = new ArrayList<>(events.subList(0, i));
                }
            }
            List<? extends EventMessage<?>> batch = taken == null ? events : taken;
            if (!batch.isEmpty()) {
                processor.accept(batch);
            }
        });
    }

    private boolean handles(Class<?> payloadType) {
        return handled.computeIfAbsent(payloadType, handlesType::test);
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return stored.openStream(trackingToken);
    }

    @Override
    public TrackingToken createTailToken() {
        return stored.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return stored.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return stored.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return stored.createTokenSince(duration);
    }

    @Override
    public String toString() {
        return "HandledEventsSource(" + group + ")";
    }
}
