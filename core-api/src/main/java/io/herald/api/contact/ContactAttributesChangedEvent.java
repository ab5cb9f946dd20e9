package io.herald.api.contact;

import org.axonframework.serialization.Revision;

import java.util.List;
import java.util.Map;

/**
 * Attributes were merged into the contact: {@code set} keys were given these values,
 * {@code removed} keys were deleted. Only real changes are recorded.
 */
@Revision("1")
public record ContactAttributesChangedEvent(String contactId, Map<String, Object> set, List<String> removed,
                                            String source) implements ContactEvent {
}
