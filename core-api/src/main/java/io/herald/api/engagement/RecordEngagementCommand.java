package io.herald.api.engagement;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The opens and clicks of concurrent requests to the tracking endpoints, recorded together (one transaction). An open
 * ({@code GET /t/o/{token}}) records an {@link EmailOpenedEvent}, a click ({@code GET /t/c/{token}}) a
 * {@link LinkClickedEvent}, when the token is one this installation signed. Answered with one
 * {@link EngagementRecorded} per hit, in order (for a click it names the URL to redirect to: the one signed into the
 * token, so only URLs that were in the sent content), null for a hit whose token is malformed, cut short or forged
 * (nothing recorded for it).
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
