package io.herald.api.contact;

import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * Identifying or addressing fields changed.
 *
 * @param profile the whole profile after the change
 * @param changed names of the fields that changed ({@code email}, {@code phone}, …)
 */
@Revision("1")
public record ContactProfileChangedEvent(String contactId, ContactProfile profile, List<String> changed, String source)
        implements ContactEvent {
}
