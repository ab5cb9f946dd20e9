package io.herald.api.delivery;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The results of one batch of sends of a campaign (or recipients settled otherwise: a dead worker's
 * sends marked UNKNOWN, recipients skipped by a cancel). One event per batch, not per recipient, so
 * a million-recipient campaign writes a few thousand events. The counts are of final statuses only;
 * recipients rescheduled for a retry are in {@code outcomes} as PENDING.
 */
@Revision("1")
public record DeliveryBatchRecordedEvent(String campaignId, String workerId, Instant recordedAt,
                                         long sent, long failed, long skipped, long unknown,
                                         List<DeliveryOutcome> outcomes) {

    public DeliveryBatchRecordedEvent {
        outcomes = List.copyOf(outcomes);
    }

    public long finished() {
        return sent + failed + skipped + unknown;
    }
}
