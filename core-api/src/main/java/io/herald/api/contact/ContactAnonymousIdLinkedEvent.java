package io.herald.api.contact;

import org.axonframework.serialization.Revision;

/**
 * The visitor known by {@code anonymousId} (a Segment-style anonymous id, set by the site's SDK
 * before the person signed in) turned out to be this contact: an identify, alias or tracked event
 * carried both ids. The visitor's tracked events, earlier and later, count as the contact's. An
 * anonymous id belongs to the first contact it is linked to.
 *
 * @param source {@code identify}, {@code track}, {@code segment} (Segment's API) …
 */
@Revision("1")
public record ContactAnonymousIdLinkedEvent(String contactId, String anonymousId, String source)
        implements ContactEvent {
}
