package io.herald.api.contact;

import java.util.List;

/**
 * Contacts by id, external id or (normalised, lower-case) e-mail, all at once; answered with a
 * {@link ContactBatchView} holding those that exist.
 */
public record FindContactsByKeysQuery(List<String> contactIds, List<String> externalIds, List<String> emails) {
}
