package io.herald.api.contact;

/** What a contact command did: the contact it touched, its version after, and whether it was new. */
public record ContactWriteResult(String contactId, long version, boolean created) {
}
