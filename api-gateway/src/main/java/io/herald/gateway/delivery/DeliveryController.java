package io.herald.gateway.delivery;

import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CampaignView;
import io.herald.api.campaign.Channel;
import io.herald.api.campaign.FindCampaignQuery;
import io.herald.api.delivery.CampaignProgressView;
import io.herald.api.delivery.DeliveryPage;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.api.delivery.DeliveryStatsView;
import io.herald.api.delivery.FindDeliveryStatsQuery;
import io.herald.api.delivery.FailurePage;
import io.herald.api.delivery.FindCampaignProgressQuery;
import io.herald.api.delivery.FindDeliveriesQuery;
import io.herald.api.delivery.FindFailuresQuery;
import io.herald.gateway.web.ApiException;
import io.herald.gateway.web.LiveStreams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.herald.gateway.web.NotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * What the sends of a campaign did: progress (also as a live stream), every recipient's delivery
 * record, and the failure log.
 */
@RestController
class DeliveryController {

    private final QueryGateway queries;
    private final LiveStreams streams;

    DeliveryController(QueryGateway queries, LiveStreams streams) {
        this.queries = queries;
        this.streams = streams;
    }

    /** A campaign's progress; before launch all counts are 0 and the state is NOT_STARTED. */
    @GetMapping("/api/campaigns/{id}/progress")
    CampaignProgressView progress(@PathVariable String id) {
        return progressOf(id);
    }

    /**
     * Server-sent events: {@code progress} with the same body as {@code GET …/progress}, at once and then
     * whenever a batch of sends is recorded (on any instance); the stream ends when the campaign does.
     */
    @Operation(summary = "A campaign's progress as server-sent events (event: progress)",
               responses = @ApiResponse(responseCode = "200", description = "event: progress, data: the progress",
                                        content = @Content(mediaType = "text/event-stream",
                                                           schema = @Schema(implementation = CampaignProgressView.class))))
    @GetMapping(path = "/api/campaigns/{id}/progress/stream", produces = "text/event-stream")
    SseEmitter progressStream(@PathVariable String id) {
        return streams.progress(id, progressOf(id), () -> progressOf(id));
    }

    @GetMapping("/api/campaigns/{id}/deliveries")
    DeliveryPage deliveries(@PathVariable String id, @RequestParam(required = false) String status,
                            @RequestParam(required = false) String after,
                            @RequestParam(defaultValue = "50") int limit) {
        requireCampaign(id);
        return queries.query(new FindDeliveriesQuery(id, parse(DeliveryStatus.class, "status", status), after,
                                                     limit(limit)), DeliveryPage.class).join();
    }

    @GetMapping("/api/failures")
    FailurePage failures(@RequestParam(required = false) String campaignId,
                         @RequestParam(required = false) String flowId,
                         @RequestParam(required = false) String channel,
                         @RequestParam(required = false) String reason,
                         @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                         @RequestParam(required = false) Long before, @RequestParam(defaultValue = "50") int limit) {
        return queries.query(new FindFailuresQuery(blankToNull(campaignId), parse(Channel.class, "channel", channel),
                                                   blankToNull(reason), instant("from", from), instant("to", to),
                                                   before, limit(limit), flowId(flowId)), FailurePage.class)
                .join();
    }

    /** Server-sent events: {@code failures} (no body needed: fetch the log again) whenever entries are added. */
    @Operation(summary = "Server-sent events (event: failures) whenever failure-log entries are added",
               responses = @ApiResponse(responseCode = "200", description = "event: failures; fetch the log again",
                                        content = @Content(mediaType = "text/event-stream")))
    @GetMapping(path = "/api/failures/stream", produces = "text/event-stream")
    SseEmitter failureStream(@RequestParam(required = false) String campaignId) {
        return streams.failures(blankToNull(campaignId));
    }

    /** Sends and failures per day for the dashboard's overview (from daily counters, not the delivery table). */
    @GetMapping("/api/stats/deliveries")
    DeliveryStatsView stats(@RequestParam(defaultValue = "14") int days) {
        if (days < 1 || days > 90) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "request.invalid", "days must be between 1 and 90");
        }
        return queries.query(new FindDeliveryStatsQuery(days), DeliveryStatsView.class).join();
    }

    private CampaignProgressView progressOf(String id) {
        CampaignView campaign = requireCampaign(id);
        CampaignProgressView progress = queries.query(new FindCampaignProgressQuery(id), CampaignProgressView.class)
                .join();
        if (progress != null && campaign.status() == CampaignStatus.COMPLETED && !"DONE".equals(progress.state())) {
            // completed by the saga, which marks its run DONE on the same event a moment later
            return progress.withState("DONE", campaign.finishedAt());
        }
        if (progress != null) {
            return progress;
        }
        return new CampaignProgressView(id, campaign.channel(), "NOT_STARTED", false, 0, 0, 0, 0, 0, 0, 0, 0, null,
                                        campaign.launchedAt(), null, null, campaign.updatedAt());
    }

    private CampaignView requireCampaign(String id) {
        CampaignView campaign = queries.query(new FindCampaignQuery(id), CampaignView.class).join();
        if (campaign == null) {
            throw new NotFoundException("campaign.not-found", "No campaign with id " + id);
        }
        return campaign;
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > 500) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "request.invalid", "limit must be between 1 and 500");
        }
        return limit;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "request.invalid",
                                   name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static java.util.UUID flowId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.util.UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "request.invalid", "flowId must be a flow id (a UUID)");
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "request.invalid",
                                   name + " must be an ISO-8601 instant such as 2026-11-27T09:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
