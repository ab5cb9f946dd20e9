package io.herald.api.contact;

import io.herald.api.campaign.Channel;

import java.time.Instant;
import java.util.Map;

/**
 * A contact as the API shows it.
 *
 * @param version sequence number of the last event applied; grows with every change
 */
public record ContactView(String id, String externalId, String email, String phone, String timeZone, String locale,
                          Map<String, Object> attributes, Map<Channel, Consent> consent, Instant createdAt,
                          Instant updatedAt, long version) {
}
