package io.herald.api.contact;

import java.util.Map;

/** One parsed CSV row, values as read (validated and normalised by the command side). */
public record ImportRow(long rowNumber, String externalId, String email, String phone, String timeZone,
                        String locale, Map<String, Object> attributes) {
}
