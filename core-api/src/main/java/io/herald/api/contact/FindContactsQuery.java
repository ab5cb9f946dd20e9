package io.herald.api.contact;

/**
 * A page of contacts, newest first; answered with a {@link ContactPage}. Every filter is optional
 * and they combine with AND.
 *
 * @param email          exact (normalised) email
 * @param externalId     exact external id
 * @param attribute      an attribute key; with {@code attributeValue} the attribute must equal it
 *                       (compared as JSON: {@code 42} and {@code "42"} differ; a value that parses as
 *                       JSON is taken as such), without it the attribute must exist
 * @param attributeValue the value, as JSON text or a bare string
 */
public record FindContactsQuery(String email, String externalId, String attribute, String attributeValue,
                                int page, int size) {
}
