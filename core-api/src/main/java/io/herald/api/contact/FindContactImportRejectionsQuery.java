package io.herald.api.contact;

/**
 * Rejected rows of an import, by row number; answered with a list of {@link RejectedRow}.
 *
 * @param afterRow only rows after this row number
 * @param limit    at most this many (1–10000)
 */
public record FindContactImportRejectionsQuery(String importId, long afterRow, int limit) {
}
