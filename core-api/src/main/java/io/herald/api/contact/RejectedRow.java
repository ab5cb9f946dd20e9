package io.herald.api.contact;

/** A CSV row that was not imported: its number (the header is row 1), a stable code and why. */
public record RejectedRow(long rowNumber, String code, String reason) {
}
