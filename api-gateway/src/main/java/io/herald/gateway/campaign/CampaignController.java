package io.herald.gateway.campaign;

import io.herald.api.campaign.CampaignCommands;
import io.herald.api.campaign.CampaignHistoryView;
import io.herald.api.campaign.CampaignPage;
import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CampaignView;
import io.herald.api.campaign.CancelCampaignCommand;
import io.herald.api.campaign.CreateCampaignCommand;
import io.herald.api.campaign.DuplicateCampaignCommand;
import io.herald.api.campaign.FindCampaignHistoryQuery;
import io.herald.api.campaign.FindCampaignQuery;
import io.herald.api.campaign.FindCampaignsQuery;
import io.herald.api.campaign.LaunchCampaignCommand;
import io.herald.api.campaign.PauseCampaignCommand;
import io.herald.api.campaign.ResumeCampaignCommand;
import io.herald.api.campaign.ScheduleCampaignCommand;
import io.herald.api.campaign.UpdateCampaignCommand;
import io.herald.gateway.web.CopyNames;
import io.herald.gateway.web.NotFoundException;
import io.herald.gateway.web.WritePath;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Campaign commands and queries. Commands go through the {@link WritePath}: they answer with the
 * campaign as the read model shows it after the change (read-your-writes; the read model is written
 * in the command's own transaction, so it is there when the command returns), or 202 only while
 * {@code campaign_summary} is being rebuilt by a processor and has not caught up within the
 * configured timeout (the change itself is stored); writes to an existing campaign honour {@code If-Match}.
 */
@RestController
@RequestMapping("/api/campaigns")
class CampaignController {

    static final String NOT_FOUND = "campaign.not-found";

    private final QueryGateway queryGateway;
    private final WritePath writes;
    private final WritePath.Resource<CampaignView> campaigns = new WritePath.Resource<>(
            "/api/campaigns", CampaignView.class, FindCampaignQuery::new, CampaignView::version,
            CampaignController::notFound).writtenInCommandTransaction();

    CampaignController(QueryGateway queryGateway, WritePath writes) {
        this.queryGateway = queryGateway;
        this.writes = writes;
    }

    @PostMapping
    ResponseEntity<CampaignView> create(@Valid @RequestBody CampaignRequests.Create request) {
        String id = request.id() != null ? request.id().toLowerCase() : UUID.randomUUID().toString();
        return writes.send(campaigns, id, new CreateCampaignCommand(id, request.definition()), null,
                           HttpStatus.CREATED);
    }

    @PutMapping("/{id}")
    ResponseEntity<CampaignView> update(@PathVariable String id, @Valid @RequestBody CampaignRequests.Update request,
                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(id, new UpdateCampaignCommand(id, request.definition()), ifMatch);
    }

    @PostMapping("/{id}/schedule")
    ResponseEntity<CampaignView> schedule(@PathVariable String id,
                                          @Valid @RequestBody CampaignRequests.Schedule request,
                                          @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ZoneId zone = SendAtParser.zone(request.timeZone());
        var command = new ScheduleCampaignCommand(id, SendAtParser.instant(request.sendAt(), zone), zone);
        return answer(id, command, ifMatch);
    }

    @PostMapping("/{id}/launch")
    ResponseEntity<CampaignView> launch(@PathVariable String id,
                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(id, new LaunchCampaignCommand(id), ifMatch);
    }

    @PostMapping("/{id}/pause")
    ResponseEntity<CampaignView> pause(@PathVariable String id,
                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(id, new PauseCampaignCommand(id), ifMatch);
    }

    @PostMapping("/{id}/resume")
    ResponseEntity<CampaignView> resume(@PathVariable String id,
                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(id, new ResumeCampaignCommand(id), ifMatch);
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<CampaignView> cancel(@PathVariable String id,
                                        @Valid @RequestBody(required = false) CampaignRequests.Cancel request,
                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        String reason = request == null ? null : request.reason();
        return answer(id, new CancelCampaignCommand(id, reason), ifMatch);
    }

    /**
     * Copies the campaign (any status) into a new draft with a new id: same channel, content, segment, rate and
     * transactional flag, not a template, named {@code name} or the source's name with {@value CopyNames#SUFFIX}. Both
     * histories record it. A retried request makes another copy (each call is a new id).
     */
    @PostMapping("/{id}/duplicate")
    ResponseEntity<CampaignView> duplicate(@PathVariable String id,
                                           @Valid @RequestBody(required = false) CampaignRequests.Duplicate request) {
        String copyId = UUID.randomUUID().toString();
        String name = request != null && request.name() != null ? request.name().strip() : null;
        if (name == null) {
            CampaignView source = get(id);
            name = CopyNames.of(source.name());
        }
        // the 404 names the source, the 201 the copy
        var copies = new WritePath.Resource<>(campaigns.path(), CampaignView.class, FindCampaignQuery::new,
                                              CampaignView::version, ignored -> notFound(id))
                .writtenInCommandTransaction();
        return writes.send(copies, copyId, new DuplicateCampaignCommand(id, copyId, name), null, HttpStatus.CREATED);
    }

    @GetMapping
    CampaignPage list(@RequestParam(name = "status", required = false) List<CampaignStatus> statuses,
                      @RequestParam(name = "template", required = false) Boolean template,
                      @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                      @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        Set<CampaignStatus> filter = statuses == null ? Set.of() : Set.copyOf(statuses);
        return queryGateway.query(new FindCampaignsQuery(filter, template, page, size),
                                  ResponseTypes.instanceOf(CampaignPage.class)).join();
    }

    @GetMapping("/{id}")
    CampaignView get(@PathVariable String id) {
        CampaignView view = queryGateway.query(new FindCampaignQuery(id), ResponseTypes.instanceOf(CampaignView.class))
                .join();
        if (view == null) {
            throw notFound(id);
        }
        return view;
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

    private ResponseEntity<CampaignView> answer(String id, CampaignCommands command, String ifMatch) {
        return writes.send(campaigns, id, command, ifMatch, HttpStatus.OK);
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException(NOT_FOUND, "No campaign with id " + id);
    }
}
