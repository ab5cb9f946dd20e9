package io.herald.gateway.health;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /actuator/health} component {@code eventProcessors}: each processor's state, the segments
 * this instance holds, whether they are caught up or replaying, and errors. DOWN when a processor
 * has stopped or one of its segments is in error.
 */
@Component("eventProcessors")
class EventProcessorsHealthIndicator extends AbstractHealthIndicator {

    private final EventProcessingConfiguration processing;

    EventProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        super("Event processor health check failed");
        this.processing = processing;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean healthy = true;
        Map<String, Object> details = new TreeMap<>();
        for (EventProcessor processor : processing.eventProcessors().values()) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("running", processor.isRunning());
            info.put("error", processor.isError());
            healthy &= processor.isRunning() && !processor.isError();
            if (processor instanceof StreamingEventProcessor streaming) {
                Map<String, Object> segments = new TreeMap<>();
                for (Map.Entry<Integer, EventTrackerStatus> entry : streaming.processingStatus().entrySet()) {
                    EventTrackerStatus status = entry.getValue();
                    Map<String, Object> segment = new LinkedHashMap<>();
                    segment.put("caughtUp", status.isCaughtUp());
                    segment.put("replaying", status.isReplaying());
                    status.getCurrentPosition().ifPresent(p -> segment.put("position", p));
                    if (status.isErrorState()) {
                        healthy = false;
                        segment.put("error", String.valueOf(status.getError()));
                    }
                    segments.put(String.valueOf(entry.getKey()), segment);
                }
                info.put("claimedSegments", segments);
                info.put("maxSegments", streaming.maxCapacity());
            }
            details.put(processor.getName(), info);
        }
        builder.status(healthy ? "UP" : "DOWN").withDetails(details);
    }
}
