package io.herald.api.contact;

/** One contact; answered with a {@link ContactView}, or null when unknown. */
public record FindContactQuery(String contactId) {
}
