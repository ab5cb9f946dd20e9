package io.herald.api.contact;

/** The life of one CSV import. */
public sealed interface ContactImportEvent permits ContactImportStartedEvent, ContactImportBatchProcessedEvent,
        ContactImportCompletedEvent, ContactImportFailedEvent {

    String importId();
}
