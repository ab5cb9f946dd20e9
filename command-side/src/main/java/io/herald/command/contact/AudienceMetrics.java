package io.herald.command.contact;

import io.herald.api.tracking.TrackResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The write path's audience counters (README, "Metrics"), counted once the command's transaction has committed
 * (a batch retried after a failure is counted once): {@code herald.tracking.events} by {@code result} (accepted,
 * late: accepted with a timestamp older than the late horizon, duplicate; the gateway adds rejected) and
 * {@code herald.imports.rows} by {@code result} (created, updated, rejected).
 */
@Component
public class AudienceMetrics {

    public static final String TRACKED_EVENTS = "herald.tracking.events";
    public static final String IMPORT_ROWS = "herald.imports.rows";

    private final Counter accepted;
    private final Counter late;
    private final Counter duplicate;
    private final Counter created;
    private final Counter updated;
    private final Counter rejected;

    @Autowired
    AudienceMetrics(ObjectProvider<MeterRegistry> registry) {
        this(registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    public AudienceMetrics(MeterRegistry registry) {
        accepted = trackedCounter(registry, "accepted");
        late = trackedCounter(registry, "late");
        duplicate = trackedCounter(registry, "duplicate");
        created = importRows(registry, "created");
        updated = importRows(registry, "updated");
        rejected = importRows(registry, "rejected");
    }

    /** The tracking counter of one result (the gateway registers rejected under the same name). */
    private static Counter trackedCounter(MeterRegistry registry, String result) {
        return Counter.builder(TRACKED_EVENTS)
                .description("Tracked events by result: accepted, late (accepted, older than the late horizon), "
                        + "duplicate (a messageId seen before, stored nowhere), rejected (refused requests)")
                .tag("result", result)
                .register(registry);
    }

    private static Counter importRows(MeterRegistry registry, String result) {
        return Counter.builder(IMPORT_ROWS)
                .description("CSV import rows by result: created or updated a contact, or rejected")
                .tag("result", result)
                .register(registry);
    }

    /** Counts a tracking command's outcomes when its unit of work commits (at once outside one). */
    void tracked(TrackResult result) {
        long acceptedNow = 0;
        long lateNow = 0;
        long duplicateNow = 0;
        for (TrackResult.Outcome outcome : result.outcomes()) {
            if (outcome.status() == TrackResult.Status.DUPLICATE) {
                duplicateNow++;
            } else if (outcome.late()) {
                lateNow++;
            } else {
                acceptedNow++;
            }
        }
        long a = acceptedNow;
        long l = lateNow;
        long d = duplicateNow;
        afterCommit(() -> {
            add(accepted, a);
            add(late, l);
            add(duplicate, d);
        });
    }

    /** Counts an import batch's rows when its unit of work commits (at once outside one). */
    void importBatch(long createdRows, long updatedRows, long rejectedRows) {
        afterCommit(() -> {
            add(created, createdRows);
            add(updated, updatedRows);
            add(rejected, rejectedRows);
        });
    }

    private static void add(Counter counter, long n) {
        if (n > 0) {
            counter.increment(n);
        }
    }

    private static void afterCommit(Runnable count) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> count.run());
        } else {
            count.run();
        }
    }
}
