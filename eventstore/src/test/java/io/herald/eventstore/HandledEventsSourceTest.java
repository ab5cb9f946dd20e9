package io.herald.eventstore;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class HandledEventsSourceTest {

    record Taken(int n) {
    }

    record Ignored(int n) {
    }

    private final SimpleEventBus bus = SimpleEventBus.builder().build();
    @SuppressWarnings("unchecked")
    private final StreamableMessageSource<TrackedEventMessage<?>> stored = mock(StreamableMessageSource.class);
    private final AtomicInteger asked = new AtomicInteger();
    private final List<List<Object>> batches = new ArrayList<>();

    private HandledEventsSource source() {
        Predicate<Class<?>> takes = type -> {
            asked.incrementAndGet();
            return type == Taken.class;
        };
        HandledEventsSource source = new HandledEventsSource("group", bus, stored, takes);
        source.subscribe(events -> batches.add(events.stream().map(EventMessage::getPayload).map(Object.class::cast).toList()));
        return source;
    }

    private static EventMessage<?> event(Object payload) {
        return GenericEventMessage.asEventMessage(payload);
    }

    @Test
    void aBatch_passesOnlyTheHandledEvents_inTheirOrder() {
        source();
        bus.publish(event(new Taken(1)), event(new Ignored(2)), event(new Taken(3)), event(new Ignored(4)));
        assertThat(batches).containsExactly(List.of(new Taken(1), new Taken(3)));
    }

    @Test
    void aBatchOfHandledEventsOnly_passesWhole_andOneWithNone_isNotPassedAtAll() {
        source();
        bus.publish(event(new Ignored(1)), event(new Ignored(2)));
        bus.publish(event(new Taken(3)), event(new Taken(4)));
        bus.publish(event(new Ignored(5)), event(new Taken(6)));
        assertThat(batches).containsExactly(List.of(new Taken(3), new Taken(4)), List.of(new Taken(6)));
    }

    @Test
    void theHandlersAreAskedOncePerPayloadType() {
        source();
        for (int i = 0; i < 5; i++) {
            bus.publish(event(new Taken(i)), event(new Ignored(i)));
        }
        assertThat(asked).hasValue(2);
        assertThat(batches).hasSize(5);
    }
}
