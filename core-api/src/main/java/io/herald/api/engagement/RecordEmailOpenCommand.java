package io.herald.api.engagement;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The tracking pixel of an e-mail was fetched ({@code GET /t/o/{token}}): records an {@link EmailOpenedEvent} when
 * the token is one this installation signed. Answered with an {@link EngagementRecorded}, or null for a token that
 * is malformed, cut short or forged (nothing recorded).
 *
 * @param token     the pixel's signed token
 * @param userAgent the {@code User-Agent} header (only its class is kept), may be null
 */
public record RecordEmailOpenCommand(@NotNull @Size(max = 4096) String token, String userAgent) {
}
