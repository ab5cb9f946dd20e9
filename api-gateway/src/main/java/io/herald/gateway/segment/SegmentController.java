package io.herald.gateway.segment;

import io.herald.api.contact.ContactPage;
import io.herald.api.segment.CreateSegmentCommand;
import io.herald.api.segment.DeleteSegmentCommand;
import io.herald.api.segment.FindSegmentHistoryQuery;
import io.herald.api.segment.FindSegmentMembersQuery;
import io.herald.api.segment.FindSegmentQuery;
import io.herald.api.segment.FindSegmentsQuery;
import io.herald.api.segment.InvalidSegmentRuleException;
import io.herald.api.segment.PreviewSegmentQuery;
import io.herald.api.segment.SegmentCommands;
import io.herald.api.segment.SegmentDefinition;
import io.herald.api.segment.SegmentHistoryView;
import io.herald.api.segment.SegmentPage;
import io.herald.api.segment.SegmentPreviewView;
import io.herald.api.segment.SegmentRule;
import io.herald.api.segment.SegmentRules;
import io.herald.api.segment.SegmentView;
import io.herald.api.segment.UpdateSegmentCommand;
import io.herald.gateway.contact.Queries;
import io.herald.gateway.web.ApiExceptionHandler;
import io.herald.gateway.web.NotFoundException;
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
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Segments: event-sourced definitions (rule trees), previews of unsaved rules, members now, and
 * the history of a definition. Invalid rules are 400 naming the path of the bad node.
 */
@RestController
@Validated
@RequestMapping("/api/segments")
class SegmentController {

    static final String NOT_FOUND = "segment.not-found";
    static final String UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private final CommandGateway commandGateway;
    private final QueryGateway queryGateway;
    private final Duration timeout;
    private final Duration fallbackInterval;
    private final ApiExceptionHandler errors;

    SegmentController(CommandGateway commandGateway, QueryGateway queryGateway,
                      @Value("${herald.read-your-writes.timeout:5s}") Duration timeout,
                      @Value("${herald.read-your-writes.fallback-interval:250ms}") Duration fallbackInterval,
                      ApiExceptionHandler errors) {
        this.commandGateway = commandGateway;
        this.queryGateway = queryGateway;
        this.timeout = timeout;
        this.fallbackInterval = fallbackInterval;
        this.errors = errors;
    }

    /** A segment definition; {@code id} (a UUID) is optional and makes retries safe. */
    record Definition(@Pattern(regexp = UUID_PATTERN, message = "must be a UUID") String id,
                      @NotBlank @Size(max = 200) String name,
                      @Size(max = 2000) String description,
                      @NotNull SegmentRule rules) {

        SegmentDefinition definition() {
            return new SegmentDefinition(name.strip(), description, rules);
        }
    }

    record Preview(@NotNull SegmentRule rules, @Min(0) @Max(100) Integer sampleSize) {
    }

    @PostMapping
    ResponseEntity<SegmentView> create(@Valid @RequestBody Definition request) {
        SegmentRules.validate(request.rules(), "rules");
        String id = request.id() != null ? request.id().toLowerCase(Locale.ROOT) : UUID.randomUUID().toString();
        long version = send(new CreateSegmentCommand(id, request.definition()));
        return answer(id, version, HttpStatus.CREATED);
    }

    @PutMapping("/{id}")
    ResponseEntity<SegmentView> update(@PathVariable String id, @Valid @RequestBody Definition request) {
        String segmentId = requireId(id);
        SegmentRules.validate(request.rules(), "rules");
        return answer(segmentId, send(new UpdateSegmentCommand(segmentId, request.definition())), HttpStatus.OK);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        String segmentId = requireId(id);
        send(new DeleteSegmentCommand(segmentId));
        // read-your-writes: answer once the read model no longer shows it
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && Queries.join(queryGateway.query(
                new FindSegmentQuery(segmentId), ResponseTypes.instanceOf(SegmentView.class))) != null) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping
    SegmentPage list(@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                     @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        return Queries.join(queryGateway.query(new FindSegmentsQuery(page, size),
                                               ResponseTypes.instanceOf(SegmentPage.class)));
    }

    @GetMapping("/{id}")
    SegmentView get(@PathVariable String id) {
        SegmentView view = Queries.join(queryGateway.query(new FindSegmentQuery(requireId(id)),
                                                           ResponseTypes.instanceOf(SegmentView.class)));
        if (view == null) {
            throw notFound(id);
        }
        return view;
    }

    @GetMapping("/{id}/history")
    SegmentHistoryView history(@PathVariable String id) {
        SegmentHistoryView history = Queries.join(queryGateway.query(new FindSegmentHistoryQuery(requireId(id)),
                                                                     ResponseTypes.instanceOf(SegmentHistoryView.class)));
        if (history == null) {
            throw notFound(id);
        }
        return history;
    }

    /** Evaluates rules now without storing them: the count and up to {@code sampleSize} (default 20) contacts. */
    @PostMapping("/preview")
    SegmentPreviewView preview(@Valid @RequestBody Preview request) {
        SegmentRules.validate(request.rules(), "rules");
        int sample = request.sampleSize() == null ? 20 : request.sampleSize();
        return Queries.join(queryGateway.query(new PreviewSegmentQuery(request.rules(), sample),
                                               ResponseTypes.instanceOf(SegmentPreviewView.class)));
    }

    @GetMapping("/{id}/members")
    ContactPage members(@PathVariable String id,
                        @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                        @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        ContactPage members = Queries.join(queryGateway.query(new FindSegmentMembersQuery(requireId(id), page, size),
                                                              ResponseTypes.instanceOf(ContactPage.class)));
        if (members == null) {
            throw notFound(id);
        }
        return members;
    }

    /** A rule node the JSON reader refuses is a bad rule node naming its path; anything else is answered as usual. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, WebRequest request, HttpServletRequest http)
            throws Exception {
        InvalidSegmentRuleException invalid = SegmentRuleJsonErrors.of(e.getCause());
        return invalid != null ? errors.domain(invalid, http) : errors.handleException(e, request);
    }

    private long send(SegmentCommands command) {
        try {
            Object result = commandGateway.sendAndWait(command);
            return result instanceof Number n ? n.longValue() : 0L;
        } catch (AggregateNotFoundException e) {
            throw notFound(command.segmentId());
        }
    }

    private ResponseEntity<SegmentView> answer(String id, long version, HttpStatus status) {
        URI location = URI.create("/api/segments/" + id);
        return Queries.awaitVersion(queryGateway, new FindSegmentQuery(id), SegmentView.class, SegmentView::version,
                                    version, timeout, fallbackInterval)
                .map(view -> {
                    ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).eTag("\"" + view.version() + "\"");
                    if (status == HttpStatus.CREATED) {
                        builder.location(location);
                    }
                    return builder.body(view);
                })
                .orElseGet(() -> ResponseEntity.accepted().location(location).build());
    }

    private static String requireId(String id) {
        if (!id.matches(UUID_PATTERN)) {
            throw notFound(id);
        }
        return id.toLowerCase(Locale.ROOT);
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException(NOT_FOUND, "No segment with id " + id);
    }
}
