package io.herald.api.contact;

/** What an import does with a row whose email or external id already belongs to a contact. */
public enum ImportMode {
    /** Reject the row ({@code import.row.exists}). */
    CREATE_ONLY,
    /** Update that contact (attributes merged, given profile fields set). */
    UPSERT
}
