package io.herald.api.contact;

import io.herald.api.campaign.Channel;
import org.axonframework.serialization.Revision;

import java.util.Map;

/**
 * A contact came into being.
 *
 * @param source   {@code api}, {@code import:<importId>}, {@code track} or {@code identify}
 * @param consent  consent given at creation, per channel (may be empty)
 */
@Revision("1")
public record ContactCreatedEvent(String contactId, ContactProfile profile, Map<String, Object> attributes,
                                  Map<Channel, Consent> consent, String source) implements ContactEvent {
}
