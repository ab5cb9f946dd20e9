package io.herald.gateway.tracking;

import io.herald.api.common.DomainException;
import io.herald.api.tracking.IdentifyCommand;
import io.herald.api.tracking.IdentifyResult;
import io.herald.api.tracking.TrackEventsCommand;
import io.herald.api.tracking.TrackResult;
import io.herald.api.tracking.TrackedEventInput;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingestion API: one event, a batch of up to 1,000 (stored together, or none when one is
 * invalid), and identify. Idempotent on {@code messageId}: a repeat is answered 200 with status
 * DUPLICATE and stored nowhere.
 */
@RestController
@RequestMapping("/api")
class TrackingController {

    static final int MAX_BATCH = 1000;

    private final CommandGateway commandGateway;
    private final TrackingBatcher batcher;

    TrackingController(CommandGateway commandGateway, TrackingBatcher batcher) {
        this.commandGateway = commandGateway;
        this.batcher = batcher;
    }

    /** One event, Segment-style. */
    record Track(@Size(max = 255) String userId, @Size(max = 200) String anonymousId, String event,
                 Map<String, Object> properties, @Size(max = 64) String timestamp, @Size(max = 200) String messageId) {
    }

    record Batch(@NotNull List<Track> batch) {
    }

    record Identify(@Size(max = 255) String userId, @Size(max = 200) String anonymousId, Map<String, Object> traits,
                    @Size(max = 64) String timestamp, @Size(max = 200) String messageId) {
    }

    @PostMapping("/track")
    ResponseEntity<Map<String, Object>> track(@Valid @RequestBody Track request) {
        // stored together with concurrent single events (group commit), answered on its own
        return ResponseEntity.ok(outcome(batcher.track(input(request, ""))));
    }

    @PostMapping("/track/batch")
    ResponseEntity<Map<String, Object>> batch(@Valid @RequestBody Batch request) {
        if (request.batch().isEmpty() || request.batch().size() > MAX_BATCH) {
            throw DomainException.invalid("batch", "tracking.batch.size",
                                          "batch holds 1–" + MAX_BATCH + " events");
        }
        List<TrackedEventInput> inputs = new ArrayList<>(request.batch().size());
        for (int i = 0; i < request.batch().size(); i++) {
            Track track = request.batch().get(i);
            if (track == null) {
                throw DomainException.invalid("batch[" + i + "]", "tracking.event.missing", "an event is required");
            }
            inputs.add(input(track, "batch[" + i + "]."));
        }
        TrackResult result = io.herald.gateway.contact.Queries.sendRetrying(commandGateway, new TrackEventsCommand(inputs, "api", "batch"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", result.accepted());
        body.put("duplicates", result.duplicates());
        body.put("results", result.outcomes().stream().map(TrackingController::outcome).toList());
        return ResponseEntity.ok(body);
    }

    @PostMapping("/identify")
    ResponseEntity<Map<String, Object>> identify(@Valid @RequestBody Identify request) {
        IdentifyResult result = io.herald.gateway.contact.Queries.sendRetrying(commandGateway, new IdentifyCommand(
                request.userId(), request.anonymousId(), request.traits(), timestamp(request.timestamp(), "timestamp"),
                request.messageId(), "identify"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contactId", result.contactId());
        body.put("status", result.duplicate() ? "DUPLICATE" : "ACCEPTED");
        body.put("created", result.created());
        return ResponseEntity.ok(body);
    }

    private static TrackedEventInput input(Track track, String path) {
        return new TrackedEventInput(track.userId(), track.anonymousId(), track.event(), track.properties(),
                                     timestamp(track.timestamp(), path + "timestamp"), track.messageId());
    }

    static Map<String, Object> outcome(TrackResult.Outcome outcome) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", outcome.messageId());
        body.put("status", outcome.status().name());
        if (outcome.contactId() != null) {
            body.put("contactId", outcome.contactId());
        }
        body.put("late", outcome.late());
        return body;
    }

    /** An ISO-8601 instant with an offset ({@code 2026-05-01T10:00:00Z}, {@code …+02:00}); null when absent. */
    static Instant timestamp(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(field, "tracking.timestamp.invalid",
                                          field + " must be an ISO-8601 date-time with an offset, e.g. 2026-05-01T10:00:00Z");
        }
    }
}
