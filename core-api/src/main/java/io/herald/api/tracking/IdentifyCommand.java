package io.herald.api.tracking;

import java.time.Instant;
import java.util.Map;

/**
 * Segment's identify: the contact with external id {@code userId} gets these traits (created when
 * unknown and the settings allow it). Traits {@code email}, {@code phone}, {@code timezone} and
 * {@code locale} go to the profile, the rest are merged into the attributes. Answered with an
 * {@link IdentifyResult}.
 */
public record IdentifyCommand(String userId, String anonymousId, Map<String, Object> traits, Instant timestamp,
                              String messageId, String source) {
}
