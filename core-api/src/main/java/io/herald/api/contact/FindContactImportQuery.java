package io.herald.api.contact;

/** One import; answered with a {@link ContactImportView} (with up to 100 rejected rows) or null. */
public record FindContactImportQuery(String importId) {
}
