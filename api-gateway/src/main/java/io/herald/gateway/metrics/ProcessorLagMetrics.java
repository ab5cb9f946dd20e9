package io.herald.gateway.metrics;

import io.herald.eventstore.metrics.EventStoreMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code herald.processor.lag{group, segment}}: how many events a streaming processor's segment claimed by
 * this instance is behind the event store's head ({@code herald.eventstore.head} minus the segment's token
 * position), looked at every 5 s. A segment this instance does not hold (any more) reads NaN here: another
 * instance reports it. The labels are bounded by the processing groups and their segment counts. Axon's own
 * {@code eventProcessor_latency_seconds{processorName}} says the same in time, per processor.
 */
@Component
class ProcessorLagMetrics implements MeterBinder, DisposableBean {

    static final String LAG = "herald.processor.lag";

    record Segment(String group, int segment) {
    }

    private final EventProcessingConfiguration processing;
    private final EventStoreMetrics eventStore;
    private final Map<Segment, AtomicReference<Double>> lags = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("herald-processor-lag").daemon().factory());
    /** The registries bound (one, or each of several when Spring Boot binds them one by one). */
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();

    ProcessorLagMetrics(EventProcessingConfiguration processing, EventStoreMetrics eventStore) {
        this.processing = processing;
        this.eventStore = eventStore;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        if (started.compareAndSet(false, true)) {
            refresher.scheduleWithFixedDelay(this::refresh, 5, 5, TimeUnit.SECONDS);
        }
    }

    void refresh() {
        try {
            Long head = eventStore.head();
            Map<String, Map<Integer, Long>> positions = new HashMap<>();
            for (EventProcessor processor : processing.eventProcessors().values()) {
                if (processor instanceof StreamingEventProcessor streaming) {
                    Map<Integer, Long> segments = new HashMap<>();
                    for (Map.Entry<Integer, EventTrackerStatus> entry : streaming.processingStatus().entrySet()) {
                        var position = entry.getValue().getCurrentPosition();
                        segments.put(entry.getKey(), position.isPresent() ? position.getAsLong() : null);
                    }
                    positions.put(processor.getName(), segments);
                }
            }
            update(lags(positions, head));
        } catch (RuntimeException e) {
            // the next look tries again; a metric never stops the application
        }
    }

    /**
     * The lag of every segment held here: the head minus the segment's position, never below 0; a segment without
     * a position yet (it has read nothing) counts the whole head. NaN everywhere while the head is unknown.
     */
    static Map<Segment, Double> lags(Map<String, Map<Integer, Long>> positions, Long head) {
        Map<Segment, Double> lags = new HashMap<>();
        positions.forEach((group, segments) -> segments.forEach((segment, position) -> {
            double lag = head == null ? Double.NaN : Math.max(0, head - (position == null ? 0 : position));
            lags.put(new Segment(group, segment), lag);
        }));
        return lags;
    }

    private void update(Map<Segment, Double> current) {
        for (Map.Entry<Segment, Double> entry : current.entrySet()) {
            lags.computeIfAbsent(entry.getKey(), segment -> {
                AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
                for (MeterRegistry registry : registries) {
                    Gauge.builder(LAG, value, AtomicReference::get)
                            .description("Events between the event store's head and a processor segment's position "
                                    + "(segments this instance holds; NaN for the others)")
                            .tag("group", segment.group())
                            .tag("segment", String.valueOf(segment.segment()))
                            .strongReference(true)
                            .register(registry);
                }
                return value;
            }).set(entry.getValue());
        }
        Set<Segment> released = new java.util.HashSet<>(lags.keySet());
        released.removeAll(current.keySet());
        released.forEach(segment -> lags.get(segment).set(Double.NaN));
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }
}
