package io.herald.gateway.campaign;

import io.herald.api.campaign.CampaignCommands;
import io.herald.api.campaign.CampaignHistoryView;
import io.herald.api.campaign.CampaignPage;
import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CampaignView;
import io.herald.api.campaign.CancelCampaignCommand;
import io.herald.api.campaign.CreateCampaignCommand;
import io.herald.api.campaign.FindCampaignHistoryQuery;
import io.herald.api.campaign.FindCampaignsQuery;
import io.herald.api.campaign.LaunchCampaignCommand;
import io.herald.api.campaign.PauseCampaignCommand;
import io.herald.api.campaign.ResumeCampaignCommand;
import io.herald.api.campaign.ScheduleCampaignCommand;
import io.herald.api.campaign.UpdateCampaignCommand;
import io.herald.gateway.web.NotFoundException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Campaign commands and queries. Commands answer with the campaign as the read model shows it
 * after the change (read-your-writes); 202 when the read model has not caught up within the
 * configured timeout (the change itself is stored).
 */
@RestController
@RequestMapping("/api/campaigns")
class CampaignController {

    static final String NOT_FOUND = "campaign.not-found";

    private final CommandGateway commandGateway;
    private final QueryGateway queryGateway;
    private final CampaignReads reads;

    CampaignController(CommandGateway commandGateway, QueryGateway queryGateway, CampaignReads reads) {
        this.commandGateway = commandGateway;
        this.queryGateway = queryGateway;
        this.reads = reads;
    }

    @PostMapping
    ResponseEntity<CampaignView> create(@Valid @RequestBody CampaignRequests.Create request) {
        String id = request.id() != null ? request.id().toLowerCase() : UUID.randomUUID().toString();
        return answer(id, new CreateCampaignCommand(id, request.definition()), HttpStatus.CREATED);
    }

    @PutMapping("/{id}")
    ResponseEntity<CampaignView> update(@PathVariable String id, @Valid @RequestBody CampaignRequests.Update request) {
        return answer(id, new UpdateCampaignCommand(id, request.definition()), HttpStatus.OK);
    }

    @PostMapping("/{id}/schedule")
    ResponseEntity<CampaignView> schedule(@PathVariable String id,
                                          @Valid @RequestBody CampaignRequests.Schedule request) {
        ZoneId zone = SendAtParser.zone(request.timeZone());
        var command = new ScheduleCampaignCommand(id, SendAtParser.instant(request.sendAt(), zone), zone);
        return answer(id, command, HttpStatus.OK);
    }

    @PostMapping("/{id}/launch")
    ResponseEntity<CampaignView> launch(@PathVariable String id) {
        return answer(id, new LaunchCampaignCommand(id), HttpStatus.OK);
    }

    @PostMapping("/{id}/pause")
    ResponseEntity<CampaignView> pause(@PathVariable String id) {
        return answer(id, new PauseCampaignCommand(id), HttpStatus.OK);
    }

    @PostMapping("/{id}/resume")
    ResponseEntity<CampaignView> resume(@PathVariable String id) {
        return answer(id, new ResumeCampaignCommand(id), HttpStatus.OK);
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<CampaignView> cancel(@PathVariable String id,
                                        @Valid @RequestBody(required = false) CampaignRequests.Cancel request) {
        String reason = request == null ? null : request.reason();
        return answer(id, new CancelCampaignCommand(id, reason), HttpStatus.OK);
    }

    @GetMapping
    CampaignPage list(@RequestParam(name = "status", required = false) List<CampaignStatus> statuses,
                      @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                      @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        Set<CampaignStatus> filter = statuses == null ? Set.of() : Set.copyOf(statuses);
        return queryGateway.query(new FindCampaignsQuery(filter, page, size),
                                  ResponseTypes.instanceOf(CampaignPage.class)).join();
    }

    @GetMapping("/{id}")
    CampaignView get(@PathVariable String id) {
        return reads.find(id).orElseThrow(() -> notFound(id));
    }

    @GetMapping("/{id}/history")
    CampaignHistoryView history(@PathVariable String id) {
        CampaignHistoryView history = queryGateway.query(new FindCampaignHistoryQuery(id),
                                                         ResponseTypes.instanceOf(CampaignHistoryView.class)).join();
        if (history == null) {
            throw notFound(id);
        }
        return history;
    }

    private long send(CampaignCommands command) {
        try {
            Object result = commandGateway.sendAndWait(command);
            return result instanceof Number n ? n.longValue() : 0L;
        } catch (AggregateNotFoundException e) {
            throw notFound(command.campaignId());
        }
    }

    private ResponseEntity<CampaignView> answer(String id, CampaignCommands command, HttpStatus status) {
        URI location = URI.create("/api/campaigns/" + id);
        return reads.sendAndAwait(id, () -> send(command))
                .map(view -> {
                    ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).eTag("\"" + view.version() + "\"");
                    if (status == HttpStatus.CREATED) {
                        builder.location(location);
                    }
                    return builder.body(view);
                })
                .orElseGet(() -> ResponseEntity.accepted().location(location).build());
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException(NOT_FOUND, "No campaign with id " + id);
    }
}
