package io.herald.gateway.engagement;

import io.herald.api.campaign.CampaignView;
import io.herald.api.campaign.FindCampaignQuery;
import io.herald.api.delivery.CampaignProgressView;
import io.herald.api.delivery.FindCampaignProgressQuery;
import io.herald.api.engagement.CampaignEngagementView;
import io.herald.api.engagement.FindCampaignEngagementQuery;
import io.herald.gateway.web.ApiException;
import io.herald.gateway.web.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;

/**
 * A campaign's report: delivery counters (from the delivery read model) with opens and clicks (from the
 * campaign-report read model), as JSON or, with {@code ?format=csv} or {@code Accept: text/csv}, as CSV.
 */
@RestController
class CampaignReportController {

    static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);

    private final QueryGateway queries;

    CampaignReportController(QueryGateway queries) {
        this.queries = queries;
    }

    @Operation(summary = "A campaign's report: deliveries, opens, clicks, rates, over time, per link (JSON or CSV)",
               responses = @ApiResponse(responseCode = "200", description = "the report",
                                        content = {@Content(mediaType = "application/json",
                                                            schema = @Schema(implementation = CampaignReport.class)),
                                                   @Content(mediaType = "text/csv",
                                                            schema = @Schema(type = "string"))}))
    @GetMapping("/api/campaigns/{id}/report")
    ResponseEntity<?> report(@PathVariable String id, @RequestParam(required = false) String format,
                             @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        CampaignView campaign = queries.query(new FindCampaignQuery(id), CampaignView.class).join();
        if (campaign == null) {
            throw new NotFoundException("campaign.not-found", "No campaign with id " + id);
        }
        CampaignProgressView progress = queries.query(new FindCampaignProgressQuery(id), CampaignProgressView.class)
                .join();
        CampaignEngagementView engagement = queries.query(new FindCampaignEngagementQuery(id),
                                                          CampaignEngagementView.class).join();
        CampaignReport report = CampaignReport.of(id, campaign.launchedAt(), progress, engagement);
        if (wantsCsv(format, accept)) {
            return ResponseEntity.ok().contentType(CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"campaign-" + id + "-report.csv\"")
                    .body(report.csv());
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
    }

    private static boolean wantsCsv(String format, String accept) {
        if (format != null && !format.isBlank()) {
            String wanted = format.trim().toLowerCase(Locale.ROOT);
            if (!wanted.equals("csv") && !wanted.equals("json")) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "request.invalid", "format must be csv or json");
            }
            return wanted.equals("csv");
        }
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
    }
}
