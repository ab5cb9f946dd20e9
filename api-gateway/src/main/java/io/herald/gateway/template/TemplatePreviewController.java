package io.herald.gateway.template;

import io.herald.gateway.web.ApiException;
import io.herald.template.LiquidTemplates;
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

    /**
     * @param template  Liquid text
     * @param format    TEXT (default) or HTML (inserted values are escaped)
     * @param variables what the template sees; absent: a sample contact
     */
    record PreviewRequest(@NotNull @Size(max = 512 * 1024) String template, Format format,
                          Map<String, Object> variables) {
    }

    record PreviewResponse(String rendered, Format format, boolean sampleContact) {
    }

    private final LiquidTemplates templates = new LiquidTemplates();

    @PostMapping("/api/templates/preview")
    PreviewResponse preview(@Valid @RequestBody PreviewRequest request) {
        Format format = request.format() == null ? Format.TEXT : request.format();
        boolean sample = request.variables() == null;
        try {
            String rendered = templates.render(request.template(), sample ? SAMPLE_CONTACT : request.variables(),
                                               format == Format.HTML ? LiquidTemplates.Mode.HTML : LiquidTemplates.Mode.TEXT);
            return new PreviewResponse(rendered, format, sample);
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
