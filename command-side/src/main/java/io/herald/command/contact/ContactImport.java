package io.herald.command.contact;

import io.herald.api.common.DomainException;
import io.herald.api.common.MetadataKeys;
import io.herald.api.contact.ContactImportBatchProcessedEvent;
import io.herald.api.contact.ContactImportCompletedEvent;
import io.herald.api.contact.ContactImportFailedEvent;
import io.herald.api.contact.ContactImportMapping;
import io.herald.api.contact.ContactImportStartedEvent;
import io.herald.api.contact.FinishContactImportCommand;
import io.herald.api.contact.ImportState;
import io.herald.api.contact.StartContactImportCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One CSV import: its mapping, its position (the next batch) and its running totals. Every batch
 * is recorded in its stream (by {@link ContactImportBatchHandler}, as sequence batch + 1) in the
 * same transaction as the contacts it wrote, so the position and the contacts never disagree, and
 * a batch can be recorded once only.
 */
@Aggregate
final class ContactImport {

    static final String AGGREGATE_TYPE = "ContactImport";

    @AggregateIdentifier
    private String importId;
    private ImportState state;
    private long nextBatch;
    private long rowsRead;
    private long created;
    private long updated;
    private long rejected;

    ContactImport() {
        // for Axon
    }

    @CommandHandler
    ContactImport(StartContactImportCommand command, ContactImportJobs jobs, MetaData metaData) {
        check(command.mapping(), command.columns());
        jobs.register(command.importId(), command.filePath(), command.mode(), command.mapping(),
                      (String) metaData.get(MetadataKeys.ACTOR), (String) metaData.get(MetadataKeys.CORRELATION_ID));
        apply(new ContactImportStartedEvent(command.importId(), command.fileName(), command.filePath(),
                                            command.fileSize(), command.columns(), command.mapping(), command.mode()));
    }

    /** The mapping names existing columns, each at most once for the profile, and gives the contact an identity. */
    static void check(ContactImportMapping mapping, List<String> columns) {
        if (mapping.email() == null && mapping.externalId() == null) {
            throw DomainException.invalid("mapping.email", "import.mapping.identity-missing",
                                          "The mapping needs an email or an externalId column");
        }
        Set<String> header = new HashSet<>(columns);
        Map<String, String> profile = new java.util.LinkedHashMap<>();
        profile.put("email", mapping.email());
        profile.put("externalId", mapping.externalId());
        profile.put("phone", mapping.phone());
        profile.put("timeZone", mapping.timeZone());
        profile.put("locale", mapping.locale());
        for (var entry : profile.entrySet()) {
            if (entry.getValue() != null && !header.contains(entry.getValue())) {
                throw missing("mapping." + entry.getKey(), entry.getValue());
            }
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < mapping.attributes().size(); i++) {
            ContactImportMapping.AttributeColumn attribute = mapping.attributes().get(i);
            if (!header.contains(attribute.column())) {
                throw missing("mapping.attributes[" + i + "].column", attribute.column());
            }
            if (!keys.add(attribute.key())) {
                throw DomainException.invalid("mapping.attributes[" + i + "].name", "import.mapping.duplicate-attribute",
                                              "Attribute '" + attribute.key() + "' is mapped twice");
            }
        }
    }

    private static DomainException missing(String field, String column) {
        return new DomainException(DomainException.Kind.INVALID, "import.mapping.missing-column",
                                   "The file has no column '" + column + "'", field, Map.of("column", column));
    }

    @CommandHandler
    void handle(FinishContactImportCommand command, ContactImportJobs jobs) {
        if (state != ImportState.RUNNING) {
            return; // finished already (a repeated finish)
        }
        jobs.checkHeld(importId, command.workerId()); // a worker taken over from never ends the import
        jobs.remove(importId);
        if (command.failureReason() == null) {
            apply(new ContactImportCompletedEvent(importId, rowsRead, created, updated, rejected));
        } else {
            apply(new ContactImportFailedEvent(importId, command.failureReason(), rowsRead, created, updated, rejected));
        }
    }

    @EventSourcingHandler
    void on(ContactImportStartedEvent event) {
        importId = event.importId();
        state = ImportState.RUNNING;
    }

    @EventSourcingHandler
    void on(ContactImportBatchProcessedEvent event, @SequenceNumber long sequence) {
        nextBatch = event.batch() + 1;
        rowsRead += event.rowsRead();
        created += event.created();
        updated += event.updated();
        rejected += event.rejected();
    }

    @EventSourcingHandler
    void on(ContactImportCompletedEvent event) {
        state = ImportState.COMPLETED;
    }

    @EventSourcingHandler
    void on(ContactImportFailedEvent event) {
        state = ImportState.FAILED;
    }
}
