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
import io.herald.gateway.web.WritePath;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

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

    private static final WritePath.Resource<SegmentView> SEGMENTS = new WritePath.Resource<>(
            "/api/segments", SegmentView.class, FindSegmentQuery::new, SegmentView::version,
            SegmentController::notFound);

    private final QueryGateway queryGateway;
    private final WritePath writes;
    private final ApiExceptionHandler errors;

    SegmentController(QueryGateway queryGateway, WritePath writes, ApiExceptionHandler errors) {
        this.queryGateway = queryGateway;
        this.writes = writes;
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
        return writes.send(SEGMENTS, id, new CreateSegmentCommand(id, request.definition()), null, HttpStatus.CREATED);
    }

    @PutMapping("/{id}")
    ResponseEntity<SegmentView> update(@PathVariable String id, @Valid @RequestBody Definition request,
                                       @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        String segmentId = requireId(id);
        SegmentRules.validate(request.rules(), "rules");
        return writes.send(SEGMENTS, segmentId, new UpdateSegmentCommand(segmentId, request.definition()), ifMatch,
                           HttpStatus.OK);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        String segmentId = requireId(id);
        // read-your-writes: answer once the read model no longer shows it
        writes.sendAndAwaitGone(SEGMENTS, segmentId, new DeleteSegmentCommand(segmentId), ifMatch);
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
