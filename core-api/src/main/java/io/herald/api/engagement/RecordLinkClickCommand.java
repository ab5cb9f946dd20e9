package io.herald.api.engagement;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A tracked link of an e-mail was followed ({@code GET /t/c/{token}}): records a {@link LinkClickedEvent} when the
 * token is one this installation signed, and answers with an {@link EngagementRecorded} naming the URL to redirect
 * to (the one signed into the token: only URLs that were in the sent content); null for a token that is malformed,
 * cut short or forged (nothing recorded).
 *
 * @param token     the link's signed token
 * @param userAgent the {@code User-Agent} header (only its class is kept), may be null
 */
public record RecordLinkClickCommand(@NotNull @Size(max = 4096) String token, String userAgent) {
}
