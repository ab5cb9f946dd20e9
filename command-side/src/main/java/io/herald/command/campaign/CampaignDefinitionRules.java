package io.herald.command.campaign;

import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.common.DomainException;
import io.herald.command.segment.SegmentDirectory;

import io.herald.template.LiquidTemplates;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/** Rules a campaign definition must meet whatever its status; shape checks are done by bean validation. */
final class CampaignDefinitionRules {

    static final int SMS_MAX_LENGTH = 1600;
    private static final LiquidTemplates TEMPLATES = new LiquidTemplates();

    private CampaignDefinitionRules() {
    }

    static void check(CampaignDefinition definition) {
        if (definition == null) {
            throw DomainException.invalid("definition", "campaign.definition.missing", "A campaign needs a definition");
        }
        if (isBlank(definition.name())) {
            throw DomainException.invalid("name", "campaign.name.missing", "A campaign needs a name");
        }
        if (definition.channel() == null) {
            throw DomainException.invalid("channel", "campaign.channel.missing", "A campaign needs a channel");
        }
        CampaignContent content = definition.content();
        if (content == null) {
            throw DomainException.invalid("content", "campaign.content.missing", "A campaign needs content");
        }
        if (definition.segmentId() != null && definition.segmentId().isBlank()) {
            throw DomainException.invalid("segmentId", "campaign.segment.blank",
                                          "segmentId is either absent or a segment id, never blank");
        }
        if (definition.throttlePerSecond() != null && definition.throttlePerSecond() <= 0) {
            throw DomainException.invalid("throttlePerSecond", "campaign.throttle.not-positive",
                                          "throttlePerSecond must be positive");
        }
        switch (definition.channel()) {
            case EMAIL -> {
                require(content.subject(), "content.subject", "An email campaign needs a subject");
                if (isBlank(content.body()) && isBlank(content.html())) {
                    throw DomainException.invalid("content.body", "campaign.content.missing",
                                                  "An email campaign needs a text body, an HTML body or both");
                }
            }
            case SMS -> {
                require(content.body(), "content.body", "An SMS campaign needs a body");
                if (content.body().length() > SMS_MAX_LENGTH) {
                    throw DomainException.invalid("content.body", "campaign.content.too-long",
                                                  "An SMS body is at most " + SMS_MAX_LENGTH + " characters");
                }
            }
            case WEBHOOK -> {
                require(content.url(), "content.url", "A webhook campaign needs a URL");
                checkHttpUrl(content.url());
            }
        }
        checkTemplate("content.subject", content.subject());
        checkTemplate("content.body", content.body());
        checkTemplate("content.html", content.html());
        checkTemplate("content.payload", content.payload());
    }

    /** Liquid errors are found when the campaign is written, not when it sends: 422 with line and column. */
    private static void checkTemplate(String field, String template) {
        if (template == null || template.isEmpty()) {
            return;
        }
        TEMPLATES.check(template).ifPresent(problem -> {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "campaign.template.invalid",
                                      field + ": " + problem.message() + " (line " + problem.line() + ", column "
                                              + problem.column() + ")",
                                      field, Map.of("line", problem.line(), "column", problem.column()));
        });
    }

    /**
     * The audience must be a segment that exists (422 {@code campaign.segment.unknown}); checked on
     * create and edit, and again on schedule and launch, where the segment also stays locked against
     * a delete until the command commits.
     */
    /** Scheduling and launching need an audience: a campaign without a segment reaches nobody by mistake. */
    static void requireSegment(CampaignDefinition definition, SegmentDirectory segments) {
        if (definition.segmentId() == null || definition.segmentId().isBlank()) {
            throw DomainException.invalid("segmentId", "campaign.segment.required",
                                          "Choose a segment before scheduling or launching the campaign");
        }
        checkSegment(definition, segments);
    }

    static void checkSegment(CampaignDefinition definition, SegmentDirectory segments) {
        if (definition.segmentId() != null) {
            segments.requireExists(definition.segmentId(), "segmentId");
        }
    }

    private static void checkHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new URISyntaxException(url, "not an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw DomainException.invalid("content.url", "campaign.content.url-invalid",
                                          "content.url must be an absolute http or https URL");
        }
    }

    private static void require(String value, String field, String message) {
        if (isBlank(value)) {
            throw DomainException.invalid(field, "campaign.content.missing", message);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
