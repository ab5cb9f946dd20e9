package io.herald.api.contact;

import io.herald.api.campaign.Channel;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * Creates a contact, or updates the one that has this external id (first) or email. Values are
 * as the client gave them; the command side validates and normalises them. Attributes are merged
 * ({@code null} removes a key); consent is recorded per channel with the source {@code api}.
 * Answered with a {@link ContactWriteResult}.
 */
public record UpsertContactCommand(@Size(max = 255) String externalId,
                                   @Size(max = 320) String email,
                                   @Size(max = 64) String phone,
                                   @Size(max = 64) String timeZone,
                                   @Size(max = 35) String locale,
                                   Map<String, Object> attributes,
                                   Map<Channel, ConsentStatus> consent,
                                   @Size(max = 500) String consentReason,
                                   String source) {
}
