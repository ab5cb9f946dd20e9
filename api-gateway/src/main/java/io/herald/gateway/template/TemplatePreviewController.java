package io.herald.gateway.template;

import io.herald.gateway.web.ApiException;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.FindContactQuery;
import io.herald.gateway.web.NotFoundException;
import io.herald.template.ContactVariables;
import io.herald.template.LiquidTemplates;
import org.axonframework.queryhandling.QueryGateway;
import io.herald.template.TemplateException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Renders a Liquid template the way a send would: for the variables given, or for a sample contact.
 * Bad templates answer 422 with line and column.
 */
@RestController
class TemplatePreviewController {

    static final Map<String, Object> SAMPLE_CONTACT = Map.of(
            "id", "00000000-0000-0000-0000-000000000000",
            "email", "ada@example.com",
            "first_name", "Ada",
            "last_name", "Lovelace",
            "locale", "en-GB",
            "time_zone", "Europe/London",
            "attributes", Map.of("first_name", "Ada", "plan", "pro", "city", "London", "orders", 3));

    enum Format { TEXT, HTML }

    private static final java.util.regex.Pattern UUID_TEXT = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * @param template  Liquid text
     * @param format    TEXT (default) or HTML (inserted values are escaped)
     * @param variables what the template sees; absent: a sample contact (or {@code contactId}'s)
     * @param contactId render for this contact, with exactly the variables a send gives it
     * @param trigger   a flow's trigger data ({@code {{ trigger.* }}}), with the sample contact or {@code contactId}'s
     */
    record PreviewRequest(@NotNull @Size(max = 512 * 1024) String template, Format format,
                          Map<String, Object> variables, @Size(max = 64) String contactId,
                          Map<String, Object> trigger) {
    }

    record PreviewResponse(String rendered, Format format, boolean sampleContact, String contactId) {
    }

    private final LiquidTemplates templates = new LiquidTemplates();
    private final QueryGateway queries;

    TemplatePreviewController(QueryGateway queries) {
        this.queries = queries;
    }

    @PostMapping("/api/templates/preview")
    PreviewResponse preview(@Valid @RequestBody PreviewRequest request) {
        Format format = request.format() == null ? Format.TEXT : request.format();
        if (request.contactId() != null && request.variables() != null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "request.invalid",
                                   "Give either variables or contactId, not both");
        }
        Map<String, Object> variables = request.variables();
        if (request.contactId() != null) {
            ContactView contact = UUID_TEXT.matcher(request.contactId()).matches()
                    ? queries.query(new FindContactQuery(request.contactId().toLowerCase()), ContactView.class).join()
                    : null;
            if (contact == null) {
                throw new NotFoundException("contact.not-found", "No contact with id " + request.contactId());
            }
            variables = ContactVariables.of(contact.id(), contact.externalId(), contact.email(), contact.phone(),
                                            contact.locale(), contact.timeZone(), contact.attributes(), "preview",
                                            "Preview", "#unsubscribe-link");
        }
        boolean sample = variables == null;
        if (request.trigger() != null) {
            if (request.variables() != null) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "request.invalid",
                                       "trigger goes with the sample contact or a contactId, not with variables");
            }
            variables = new java.util.LinkedHashMap<>(sample ? SAMPLE_CONTACT : variables);
            variables.put("trigger", request.trigger());
        }
        try {
            String rendered = templates.render(request.template(), variables == null ? SAMPLE_CONTACT : variables,
                                               format == Format.HTML ? LiquidTemplates.Mode.HTML : LiquidTemplates.Mode.TEXT);
            return new PreviewResponse(rendered, format, sample, request.contactId());
        } catch (TemplateException e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "template.invalid",
                                   e.problem().message() + " (line " + e.problem().line() + ", column "
                                           + e.problem().column() + ")",
                                   Map.of("line", e.problem().line(), "column", e.problem().column(),
                                          "errors", List.of(Map.of("field", "template", "message", e.problem().message()))),
                                   Map.of());
        }
    }
}
