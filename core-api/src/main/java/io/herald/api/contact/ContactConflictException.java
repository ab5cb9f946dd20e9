package io.herald.api.contact;

import io.herald.api.common.DomainException;

import java.util.Map;

/** The email or external id belongs to another contact (HTTP 409). */
public class ContactConflictException extends DomainException {

    public static final String EMAIL_TAKEN = "contact.email-taken";
    public static final String EXTERNAL_ID_TAKEN = "contact.external-id-taken";
    public static final String EXTERNAL_ID_MISMATCH = "contact.external-id-mismatch";

    public ContactConflictException(String code, String field, String message, String otherContactId) {
        super(Kind.CONFLICT, code, message, field,
              otherContactId == null ? Map.of() : Map.of("conflictingContactId", otherContactId));
    }
}
