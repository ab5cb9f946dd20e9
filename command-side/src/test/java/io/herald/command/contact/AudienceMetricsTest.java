package io.herald.command.contact;

import io.herald.api.tracking.TrackResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AudienceMetricsTest {

    private static double count(SimpleMeterRegistry registry, String name, String result) {
        return registry.get(name).tag("result", result).counter().count();
    }

    private static TrackResult result() {
        return new TrackResult(List.of(
                new TrackResult.Outcome("m1", TrackResult.Status.ACCEPTED, "c1", false),
                new TrackResult.Outcome("m2", TrackResult.Status.ACCEPTED, "c1", true),
                new TrackResult.Outcome("m3", TrackResult.Status.ACCEPTED, "c2", false),
                new TrackResult.Outcome("m1", TrackResult.Status.DUPLICATE, null, false)));
    }

    @Test
    void trackedEvents_areCountedByResult_whenTheUnitOfWorkCommits() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AudienceMetrics metrics = new AudienceMetrics(registry);

        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        metrics.tracked(result());
        assertThat(count(registry, AudienceMetrics.TRACKED_EVENTS, "accepted")).isZero(); // not before the commit
        unitOfWork.commit();

        assertThat(count(registry, AudienceMetrics.TRACKED_EVENTS, "accepted")).isEqualTo(2);
        assertThat(count(registry, AudienceMetrics.TRACKED_EVENTS, "late")).isEqualTo(1);
        assertThat(count(registry, AudienceMetrics.TRACKED_EVENTS, "duplicate")).isEqualTo(1);
    }

    @Test
    void aRolledBackBatch_countsNothing_soItsRetryIsCountedOnce() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AudienceMetrics metrics = new AudienceMetrics(registry);

        UnitOfWork<?> failed = DefaultUnitOfWork.startAndGet(null);
        metrics.importBatch(5, 2, 1);
        failed.rollback();
        UnitOfWork<?> retried = DefaultUnitOfWork.startAndGet(null);
        metrics.importBatch(5, 2, 1);
        retried.commit();

        assertThat(count(registry, AudienceMetrics.IMPORT_ROWS, "created")).isEqualTo(5);
        assertThat(count(registry, AudienceMetrics.IMPORT_ROWS, "updated")).isEqualTo(2);
        assertThat(count(registry, AudienceMetrics.IMPORT_ROWS, "rejected")).isEqualTo(1);
    }
}
