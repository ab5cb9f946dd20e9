package io.herald.api.tracking;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Records tracked events (one or a batch of up to 1,000) in one transaction: all are stored or,
 * when one is invalid, none; answered with a {@link TrackResult}.
 *
 * @param source    {@code api} or {@code segment} (the /v1 compatibility endpoints)
 * @param batchPath the request field holding the list ({@code batch}) so errors name {@code batch[3].event};
 *                  null for a single event (errors name {@code event})
 */
public record TrackEventsCommand(@NotNull @Size(min = 1, max = 1000) List<TrackedEventInput> events,
                                 @NotNull String source, String batchPath) {
}
