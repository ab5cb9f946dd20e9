package io.herald.api.engagement;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The opens and clicks of concurrent requests to the tracking endpoints, recorded together (one transaction): each
 * hit as {@link RecordEmailOpenCommand} or {@link RecordLinkClickCommand} would record it alone. Answered with one
 * {@link EngagementRecorded} per hit, in order, null for a hit whose token is not valid (nothing recorded for it).
 *
 * @param hits the opens and clicks, in the order they arrived
 */
public record RecordEngagementCommand(@NotEmpty @Size(max = 10_000) List<@NotNull @Valid Hit> hits) {

    /**
     * One open ({@code click} false: the pixel's token) or click (the link's token).
     *
     * @param userAgent the {@code User-Agent} header (only its class is kept), may be null
     */
    public record Hit(boolean click, @NotNull @Size(max = 4096) String token, String userAgent) {
    }
}
