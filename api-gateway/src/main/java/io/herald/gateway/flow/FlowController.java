package io.herald.gateway.flow;

import io.herald.api.flow.FindFlowStatsQuery;
import io.herald.api.flow.FlowRunsMoveResult;
import io.herald.api.flow.MoveFlowRunsCommand;
import io.herald.api.flow.FlowStatsView;
import io.herald.gateway.web.LiveStreams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import io.herald.gateway.web.JsonPaths;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.herald.api.common.DomainException;
import io.herald.api.flow.ActivateFlowCommand;
import io.herald.api.flow.ArchiveFlowCommand;
import io.herald.api.flow.CreateFlowCommand;
import io.herald.api.flow.EnterFlowCommand;
import io.herald.api.flow.FindFlowRunsQuery;
import io.herald.api.flow.FlowEntrant;
import io.herald.api.flow.FlowEntryResult;
import io.herald.api.flow.FlowRunPage;
import io.herald.api.flow.FindFlowHistoryQuery;
import io.herald.api.flow.FindFlowQuery;
import io.herald.api.flow.FindFlowVersionQuery;
import io.herald.api.flow.FindFlowsQuery;
import io.herald.api.flow.FlowCommands;
import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowEntryPolicy;
import io.herald.api.flow.FlowHistoryView;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowPage;
import io.herald.api.flow.FindFlowRunTotalsQuery;
import io.herald.api.flow.FlowRunTotalsView;
import io.herald.api.flow.FlowSummaryView;
import io.herald.api.flow.FlowTrigger;
import io.herald.api.flow.FlowVersionImmutableException;
import io.herald.api.flow.FlowVersionView;
import io.herald.api.flow.FlowView;
import io.herald.api.flow.PauseFlowCommand;
import io.herald.api.flow.PublishFlowCommand;
import io.herald.api.flow.ResumeFlowCommand;
import io.herald.api.flow.StopFlowCommand;
import io.herald.api.flow.UpdateFlowDraftCommand;
import io.herald.api.segment.InvalidSegmentRuleException;
import io.herald.gateway.contact.Queries;
import io.herald.gateway.segment.SegmentRuleJsonErrors;
import io.herald.gateway.web.ApiException;
import io.herald.gateway.web.ApiExceptionHandler;
import io.herald.gateway.web.NotFoundException;
import io.herald.gateway.web.CopyNames;
import io.herald.gateway.web.WritePath;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Flows: a draft, numbered immutable published versions and a lifecycle; entries by API and the runs'
 * decision log (the runs themselves are the flow runtime's, in the sagas module). Every write goes through the {@link WritePath} (the read model is written in the
 * command's transaction) and honours {@code If-Match}; an invalid definition is 422 naming the node
 * id and field ({@code flow.*} codes).
 */
@RestController
@Validated
@RequestMapping("/api/flows")
class FlowController {

    static final String NOT_FOUND = "flow.not-found";
    static final String VERSION_NOT_FOUND = "flow.version.not-found";
    static final String NODE_TYPES = "entry, send, wait, wait_for_event, branch, split, update_contact, webhook, exit";
    static final String TRIGGER_TYPES = "event, segment, api";
    static final String UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private static final WritePath.Resource<FlowView> FLOWS = new WritePath.Resource<>(
            "/api/flows", FlowView.class, FindFlowQuery::new, FlowView::version,
            FlowController::notFound).writtenInCommandTransaction();

    /** How often a stats stream looks at the counts. */
    static final java.time.Duration STATS_EVERY = java.time.Duration.ofSeconds(2);

    /** Contacts per entries call (more: 413 {@code flow.entries.too-many}). */
    static final int MAX_ENTRIES = 10_000;

    private final QueryGateway queryGateway;
    private final CommandGateway commandGateway;
    private final WritePath writes;
    private final ApiExceptionHandler errors;
    private final LiveStreams streams;

    FlowController(QueryGateway queryGateway, CommandGateway commandGateway, WritePath writes,
                   ApiExceptionHandler errors, LiveStreams streams) {
        this.queryGateway = queryGateway;
        this.commandGateway = commandGateway;
        this.writes = writes;
        this.errors = errors;
        this.streams = streams;
    }

    /** Contacts to enter (each by id, external id or e-mail) and the trigger data every run gets. */
    record Entries(List<FlowEntrant> contacts, Map<String, Object> data) {
    }

    /**
     * Enters contacts into an ACTIVE flow (409 {@code flow.not-active} otherwise), up to {@value #MAX_ENTRIES}
     * per call; the answer says per contact: entered, already-in-flow, re-entry-window or unknown-contact. With
     * an {@code Idempotency-Key} a repeat gets the first answer ({@code "replayed": true}).
     */
    @PostMapping("/{id}/entries")
    FlowEntryResult enter(@PathVariable String id, @RequestBody Entries request,
                          @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        String flowId = requireId(id);
        if (request.contacts() == null || request.contacts().isEmpty()) {
            throw DomainException.invalid("contacts", "flow.entries.empty", "contacts: at least one contact");
        }
        if (request.contacts().size() > MAX_ENTRIES) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "flow.entries.too-many",
                                   "At most " + MAX_ENTRIES + " contacts per call (" + request.contacts().size()
                                           + " given)", Map.of("max", MAX_ENTRIES), Map.of());
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw DomainException.invalid("Idempotency-Key", "flow.entries.idempotency-key-invalid",
                                          "Idempotency-Key: 1-200 characters");
        }
        try {
            return Queries.sendRetrying(commandGateway, new EnterFlowCommand(flowId, idempotencyKey,
                                                                              request.contacts(), request.data()));
        } catch (RuntimeException e) {
            throw Queries.unwrap(e);
        }
    }

    /**
     * The decision log: the flow's runs (of one contact with {@code contactId}), newest first, each with every
     * step it took and why.
     */
    @GetMapping("/{id}/runs")
    FlowRunPage runs(@PathVariable String id, @RequestParam(required = false) String contactId,
                     @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                     @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        String flowId = requireId(id);
        FlowView view = Queries.join(queryGateway.query(new FindFlowQuery(flowId), ResponseTypes.instanceOf(FlowView.class)));
        if (view == null) {
            throw notFound(id);
        }
        if (contactId != null && !contactId.matches(UUID_PATTERN)) {
            throw DomainException.invalid("contactId", "flow.runs.contact-invalid", "contactId: must be a UUID");
        }
        return Queries.join(queryGateway.query(new FindFlowRunsQuery(flowId, contactId == null ? null
                                                       : contactId.toLowerCase(Locale.ROOT), page, size),
                                               ResponseTypes.instanceOf(FlowRunPage.class)));
    }

    /**
     * The flow's statistics (of one published {@code version}, or of all): runs by state; per node entered, in it
     * now, passed and a send's outcomes; per edge how many runs took it.
     */
    @GetMapping("/{id}/stats")
    FlowStatsView stats(@PathVariable String id, @RequestParam(required = false) String version) {
        return findStats(id, version);
    }

    /** Server-sent events: {@code stats} at once, then whenever the counts change (looked at every 2 s). */
    @Operation(summary = "Server-sent events (event: stats) with the flow's statistics, sent again when they change",
               responses = @ApiResponse(responseCode = "200", description = "event: stats, a FlowStatsView",
                                        content = @Content(mediaType = "text/event-stream")))
    @GetMapping(path = "/{id}/stats/stream", produces = "text/event-stream")
    SseEmitter statsStream(@PathVariable String id, @RequestParam(required = false) String version) {
        FlowStatsView first = findStats(id, version);
        return streams.poll("stats", first, () -> findStats(id, version), STATS_EVERY,
                            (a, b) -> a.runs().equals(b.runs()) && a.nodes().equals(b.nodes())
                                    && a.edges().equals(b.edges()));
    }

    private FlowStatsView findStats(String id, String version) {
        String flowId = requireId(id);
        Integer number = null;
        if (version != null) {
            try {
                number = Integer.parseInt(version);
            } catch (NumberFormatException e) {
                throw versionNotFound(id, version);
            }
        }
        FlowStatsView stats = Queries.join(queryGateway.query(new FindFlowStatsQuery(flowId, number),
                                                              ResponseTypes.instanceOf(FlowStatsView.class)));
        if (stats == null) {
            throw number == null ? notFound(id) : versionNotFound(id, version);
        }
        return stats;
    }

    /** Which runs to move: those on {@code fromVersion}, to the later published {@code toVersion}. */
    record RunsMove(@Min(1) int fromVersion, @Min(1) int toVersion) {
    }

    /**
     * Moves the runs of one published version to a later one, each at the node of the same id, and records it in the
     * flow's history; runs at a node the later version lacks (or being moved on at that moment) stay and finish on
     * their version.
     */
    @PostMapping("/{id}/runs/move")
    FlowRunsMoveResult moveRuns(@PathVariable String id, @Valid @RequestBody RunsMove move) {
        String flowId = requireId(id);
        try {
            return Queries.sendRetrying(commandGateway, new MoveFlowRunsCommand(flowId, move.fromVersion(),
                                                                                move.toVersion()));
        } catch (RuntimeException e) {
            throw Queries.unwrap(e);
        }
    }

    /** A new flow: {@code id} (a UUID) is optional and makes retries safe. */
    record CreateFlow(@Pattern(regexp = UUID_PATTERN, message = "must be a UUID") String id,
                  @NotBlank @Size(max = 200) String name,
                  @NotNull FlowDefinition definition) {
    }

    /** The draft's new name and definition. */
    record FlowDraft(@NotBlank @Size(max = 200) String name, @NotNull FlowDefinition definition) {
    }

    @PostMapping
    ResponseEntity<FlowView> create(@Valid @RequestBody CreateFlow request) {
        String id = request.id() != null ? request.id().toLowerCase(Locale.ROOT) : UUID.randomUUID().toString();
        return writes.send(FLOWS, id, new CreateFlowCommand(id, request.name().strip(), request.definition()), null,
                           HttpStatus.CREATED);
    }

    @PutMapping("/{id}/draft")
    ResponseEntity<FlowView> updateDraft(@PathVariable String id, @Valid @RequestBody FlowDraft request,
                                         @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        String flowId = requireId(id);
        return answer(flowId, new UpdateFlowDraftCommand(flowId, request.name().strip(), request.definition()), ifMatch);
    }

    @PostMapping("/{id}/publish")
    ResponseEntity<FlowView> publish(@PathVariable String id,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(id, PublishFlowCommand::new, ifMatch);
    }

    @PostMapping("/{id}/activate")
    ResponseEntity<FlowView> activate(@PathVariable String id,
                                      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(id, ActivateFlowCommand::new, ifMatch);
    }

    @PostMapping("/{id}/pause")
    ResponseEntity<FlowView> pause(@PathVariable String id,
                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(id, PauseFlowCommand::new, ifMatch);
    }

    @PostMapping("/{id}/resume")
    ResponseEntity<FlowView> resume(@PathVariable String id,
                                    @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(id, ResumeFlowCommand::new, ifMatch);
    }

    @PostMapping("/{id}/archive")
    ResponseEntity<FlowView> archive(@PathVariable String id,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(id, ArchiveFlowCommand::new, ifMatch);
    }

    @PostMapping("/{id}/stop")
    ResponseEntity<FlowView> stop(@PathVariable String id,
                                  @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(id, StopFlowCommand::new, ifMatch);
    }

    /**
     * The list, most recently changed first; each flow with the flow runtime's totals: contacts in it now and sends
     * so far (one query for the page's flows).
     */
    @Operation(summary = "The flows, most recently changed first, each with contacts in it now and sends so far")
    @GetMapping
    FlowPage list(@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                  @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        FlowPage flows = Queries.join(queryGateway.query(new FindFlowsQuery(page, size),
                                                         ResponseTypes.instanceOf(FlowPage.class)));
        if (flows.items().isEmpty()) {
            return flows;
        }
        FlowRunTotalsView totals = Queries.join(queryGateway.query(
                new FindFlowRunTotalsQuery(flows.items().stream().map(FlowSummaryView::id).toList()),
                ResponseTypes.instanceOf(FlowRunTotalsView.class)));
        Map<String, FlowRunTotalsView.Totals> byFlow = new java.util.HashMap<>();
        totals.flows().forEach(t -> byFlow.put(t.flowId().toLowerCase(Locale.ROOT), t));
        List<FlowSummaryView> items = flows.items().stream().map(flow -> {
            FlowRunTotalsView.Totals t = byFlow.get(flow.id().toLowerCase(Locale.ROOT));
            return t == null ? flow.withTotals(0, 0) : flow.withTotals(t.contactsInFlow(), t.sendsSoFar());
        }).toList();
        return new FlowPage(items, flows.page(), flows.size(), flows.totalItems(), flows.totalPages());
    }

    /** Optional: the copy's id (a UUID: a retry with the same id and name answers the same copy) and name. */
    record DuplicateFlow(@Pattern(regexp = UUID_PATTERN, message = "must be a UUID") String id,
                         @Size(min = 1, max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
                         String name) {
    }

    /**
     * Copies the flow (any status) into a new DRAFT flow: the source's current draft definition, its layout
     * included, named {@code name} or the source's name with {@value CopyNames#SUFFIX}. Made by the same command as a
     * create, so it is validated as a create is, and like a create a retry with the same {@code id} and name
     * answers the same copy; without an {@code id} each call makes a new copy (as a campaign's duplicate does).
     */
    @Operation(operationId = "duplicateFlow", summary = "Duplicate a flow as a new draft",
               description = "A new DRAFT flow with the source's current draft definition (its layout too), named "
                       + "`name` or the source's name with \" (copy)\". Checked like a create; with `id`, a retry "
                       + "with the same id and name answers the same copy.",
               responses = {
                       @ApiResponse(responseCode = "201", description = "The copy (a FlowView); Location names it"),
                       @ApiResponse(responseCode = "404", description = "flow.not-found: no such source flow",
                                    content = @Content(mediaType = "application/problem+json"))})
    @PostMapping("/{id}/duplicate")
    ResponseEntity<FlowView> duplicate(@PathVariable String id,
                                       @Valid @RequestBody(required = false) DuplicateFlow request) {
        String sourceId = requireId(id);
        FlowView source = Queries.join(queryGateway.query(new FindFlowQuery(sourceId),
                                                          ResponseTypes.instanceOf(FlowView.class)));
        if (source == null) {
            throw notFound(id);
        }
        String copyId = request != null && request.id() != null ? request.id().toLowerCase(Locale.ROOT)
                : UUID.randomUUID().toString();
        String name = request != null && request.name() != null ? request.name().strip() : CopyNames.of(source.name());
        return writes.send(FLOWS, copyId, new CreateFlowCommand(copyId, name, source.draft()), null,
                           HttpStatus.CREATED);
    }

    @GetMapping("/{id}")
    ResponseEntity<FlowView> get(@PathVariable String id) {
        FlowView view = Queries.join(queryGateway.query(new FindFlowQuery(requireId(id)),
                                                        ResponseTypes.instanceOf(FlowView.class)));
        if (view == null) {
            throw notFound(id);
        }
        return ResponseEntity.ok().eTag(WritePath.etag(view.version())).body(view);
    }

    @GetMapping("/{id}/versions/{version}")
    FlowVersionView version(@PathVariable String id, @PathVariable String version) {
        return findVersion(id, version);
    }

    /** Published versions never change: 409 {@code flow.version.immutable} (404 when there is no such version). */
    @PutMapping("/{id}/versions/{version}")
    ResponseEntity<Void> editVersion(@PathVariable String id, @PathVariable String version) {
        FlowVersionView found = findVersion(id, version);
        throw new FlowVersionImmutableException(found.flowId(), found.version());
    }

    @GetMapping("/{id}/history")
    FlowHistoryView history(@PathVariable String id) {
        FlowHistoryView history = Queries.join(queryGateway.query(new FindFlowHistoryQuery(requireId(id)),
                                                                  ResponseTypes.instanceOf(FlowHistoryView.class)));
        if (history == null) {
            throw notFound(id);
        }
        return history;
    }

    /**
     * A node, trigger or branch rule node of an unknown {@code type}, or with a field its kind does not
     * have, is a 400 with a {@code flow.*} code naming its path; anything else unreadable is answered as usual.
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, WebRequest request, HttpServletRequest http)
            throws Exception {
        Throwable cause = e.getCause();
        if (cause instanceof InvalidTypeIdException badType && badType.getBaseType() != null
                && (badType.getBaseType().getRawClass() == FlowNode.class
                            || badType.getBaseType().getRawClass() == FlowTrigger.class)) {
            boolean node = badType.getBaseType().getRawClass() == FlowNode.class;
            String field = JsonPaths.of(badType) + ".type";
            return errors.domain(DomainException.invalid(field, node ? "flow.node.unknown-type" : "flow.trigger.unknown-type",
                                                         field + ": must be one of " + (node ? NODE_TYPES : TRIGGER_TYPES)),
                                 http);
        }
        if (cause instanceof UnrecognizedPropertyException unknown && isFlowType(unknown.getReferringClass())) {
            String field = JsonPaths.of(unknown);
            return errors.domain(DomainException.invalid(field, "flow.definition.unknown-field", field
                    + ": not a field of " + unknown.getReferringClass().getSimpleName()), http);
        }
        InvalidSegmentRuleException rule = SegmentRuleJsonErrors.of(cause);
        if (rule != null) {
            return errors.domain(DomainException.invalid(rule.field(), "flow.rule.invalid", rule.getMessage()), http);
        }
        return errors.handleException(e, request);
    }

    private static boolean isFlowType(Class<?> type) {
        return type != null && (FlowNode.class.isAssignableFrom(type) || FlowTrigger.class.isAssignableFrom(type)
                || type == FlowDefinition.class || type == FlowEntryPolicy.class
                || type.getEnclosingClass() == FlowNode.class || type.getEnclosingClass() == FlowEntryPolicy.class);
    }

    private FlowVersionView findVersion(String id, String version) {
        String flowId = requireId(id);
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw versionNotFound(id, version);
        }
        FlowVersionView view = Queries.join(queryGateway.query(new FindFlowVersionQuery(flowId, number),
                                                               ResponseTypes.instanceOf(FlowVersionView.class)));
        if (view == null) {
            throw versionNotFound(id, version);
        }
        return view;
    }

    private ResponseEntity<FlowView> answer(String id, Function<String, FlowCommands> command, String ifMatch) {
        String flowId = requireId(id);
        return answer(flowId, command.apply(flowId), ifMatch);
    }

    private ResponseEntity<FlowView> answer(String flowId, FlowCommands command, String ifMatch) {
        return writes.send(FLOWS, flowId, command, ifMatch, HttpStatus.OK);
    }

    private static String requireId(String id) {
        if (!id.matches(UUID_PATTERN)) {
            throw notFound(id);
        }
        return id.toLowerCase(Locale.ROOT);
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException(NOT_FOUND, "No flow with id " + id);
    }

    private static NotFoundException versionNotFound(String id, String version) {
        return new NotFoundException(VERSION_NOT_FOUND, "Flow " + id + " has no published version " + version);
    }
}
