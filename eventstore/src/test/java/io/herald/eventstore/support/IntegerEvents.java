package io.herald.eventstore.support;

import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Events whose payloads are the integers {@code from, from + 1, ...}, published and read back in order. */
public final class IntegerEvents {

    private IntegerEvents() {
    }

    public static void publish(EventStore store, int from, int count) {
        IntStream.range(from, from + count).forEach(i -> store.publish(GenericEventMessage.asEventMessage(i)));
    }

    /** The next {@code count} payloads of {@code stream}, each of which must arrive within 5 s. */
    public static List<Integer> read(TrackingEventStream stream, int count) throws InterruptedException {
        List<Integer> payloads = new ArrayList<>();
        while (payloads.size() < count) {
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("event %d arrives", payloads.size()).isTrue();
            payloads.add((Integer) stream.nextAvailable().getPayload());
        }
        return payloads;
    }
}
