package io.herald.api.tracking;

/** The contact an identify touched and whether it was a repeat of a message already stored. */
public record IdentifyResult(String contactId, boolean duplicate, boolean created) {
}
