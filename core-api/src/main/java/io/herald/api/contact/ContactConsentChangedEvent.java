package io.herald.api.contact;

import io.herald.api.campaign.Channel;
import org.axonframework.serialization.Revision;

/** Consent on {@code channel} moved from {@code previous} (null: never recorded) to {@code consent}. */
@Revision("1")
public record ContactConsentChangedEvent(String contactId, Channel channel, Consent consent, ConsentStatus previous)
        implements ContactEvent {
}
