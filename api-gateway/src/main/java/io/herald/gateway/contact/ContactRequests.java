package io.herald.gateway.contact;

import io.herald.api.campaign.Channel;
import io.herald.api.contact.ConsentStatus;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** Request bodies of the contact endpoints (strict JSON: unknown fields are refused). */
final class ContactRequests {

    private ContactRequests() {
    }

    /**
     * Creates a contact or updates the one with this external id (first) or email.
     *
     * @param attributes merged into the contact's attributes; {@code null} removes a key
     * @param consent    per channel, e.g. {@code {"EMAIL": "SUBSCRIBED"}}
     */
    record Upsert(@Size(max = 255) String externalId,
                  @Size(max = 320) String email,
                  @Size(max = 64) String phone,
                  @Size(max = 64) String timeZone,
                  @Size(max = 35) String locale,
                  @Size(max = 200) Map<String, Object> attributes,
                  Map<Channel, ConsentStatus> consent,
                  @Size(max = 500) String consentReason) {
    }

    /** Records consent on one channel. */
    record Consent(@NotNull Channel channel, @NotNull ConsentStatus status, @Size(max = 500) String reason) {
    }
}
