package io.herald.command.contact;

import io.herald.api.common.DomainException;
import io.herald.api.contact.AttributeValues;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactImportBatchProcessedEvent;
import io.herald.api.contact.ContactProfile;
import io.herald.api.contact.ContactsImportedEvent;
import io.herald.api.contact.ImportContactBatchCommand;
import io.herald.api.contact.ImportMode;
import io.herald.api.contact.ImportRow;
import io.herald.api.contact.RejectedRow;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies one batch of an import in one transaction: the rows' identity claims, their contacts'
 * events, the import's batch event and its new position commit together or not at all, so an
 * import interrupted at any moment never half-applies a row and resumes exactly after its last
 * stored batch. The import's job row is locked for the transaction and must name the sending worker
 * (one writer per import, never one that another worker has taken the import from).
 * <p>
 * New contacts are written as {@link ContactsImportedEvent}s of up to {@value #CONTACTS_PER_EVENT}
 * contacts: the creation of each (what the {@link Contact} aggregate's constructor would apply as
 * its {@link ContactCreatedEvent} for the same validated row), with the import id as its source.
 * One event per hundred contacts instead of one per contact is what lets an import of a million
 * rows finish in about a minute: the per-event work of the store and of every processor reading it
 * is paid once per hundred. The contacts' own streams start at sequence 1; the aggregate reads a
 * contact's creation from its import event ({@link ImportedContactCreations}). Rows that match an
 * existing contact (UPSERT) go through the aggregate, which records only real changes.
 */
@Component
class ContactImportBatchHandler {

    /**
     * Contacts per {@link ContactsImportedEvent}: large enough that the per-event work is negligible,
     * small enough that the event store's in-memory cache (a count of events) and a processor's fetch
     * of 1,000 events stay a few MiB, not hundreds.
     */
    static final int CONTACTS_PER_EVENT = 100;

    private final ObjectProvider<org.axonframework.config.Configuration> axon;
    private final AudienceMetrics metrics;

    ContactImportBatchHandler(ObjectProvider<org.axonframework.config.Configuration> axon, AudienceMetrics metrics) {
        this.axon = axon;
        this.metrics = metrics;
    }

    /** A row that parsed and validated; rows naming the same contact in one batch are merged into one. */
    private static final class Candidate {
        final long rowNumber;
        ContactProfile profile;
        final Map<String, Object> attributes;
        int rows = 1;

        Candidate(long rowNumber, ContactProfile profile, Map<String, Object> attributes) {
            this.rowNumber = rowNumber;
            this.profile = profile;
            this.attributes = new LinkedHashMap<>(attributes);
        }
    }

    @CommandHandler
    long handle(ImportContactBatchCommand command, ContactIdentities identities, ContactImportJobs jobs,
                ContactSettings settings, EventBus eventBus, Clock clock) throws Exception {
        Repository<Contact> contacts = axon.getObject().repository(Contact.class);
        ImportMode mode = jobs.lockForBatch(command.importId(), command.batch(), command.workerId());
        String source = "import:" + command.importId();
        Instant now = clock.instant();

        List<RejectedRow> rejected = new ArrayList<>(command.rejected());
        List<Candidate> candidates = new ArrayList<>();
        Map<String, Candidate> byExternalId = new HashMap<>();
        Map<String, Candidate> byEmail = new HashMap<>();
        long updated = 0;
        for (ImportRow row : command.rows()) {
            Candidate candidate;
            try {
                candidate = prepare(row, settings);
            } catch (DomainException e) {
                rejected.add(new RejectedRow(row.rowNumber(), e.code(), e.getMessage()));
                continue;
            }
            Candidate sameExternalId = candidate.profile.externalId() == null ? null
                    : byExternalId.get(candidate.profile.externalId());
            Candidate sameEmail = candidate.profile.email() == null ? null : byEmail.get(candidate.profile.email());
            Candidate earlier = sameExternalId != null ? sameExternalId : sameEmail;
            if (earlier == null) {
                candidates.add(candidate);
                index(candidate, byExternalId, byEmail);
                continue;
            }
            // the same contact again in this batch
            String conflict = mergeConflict(earlier, candidate, sameExternalId, sameEmail);
            if (conflict != null) {
                rejected.add(new RejectedRow(row.rowNumber(), "import.row.identity-conflict", conflict));
            } else if (mode == ImportMode.CREATE_ONLY) {
                rejected.add(new RejectedRow(row.rowNumber(), "import.row.duplicate",
                                             "The same contact is in row " + earlier.rowNumber));
            } else {
                merge(earlier, candidate);
                index(earlier, byExternalId, byEmail);
                updated++;
            }
        }

        // Claim first, look up after: the claims of new contacts go in (a multi-row insert that skips
        // identities already held); only the rows it skipped are looked up, to be matched, refused or
        // reported. An import of new contacts then costs no lookup at all.
        long created = 0;
        List<Map.Entry<String, Candidate>> matches = new ArrayList<>();
        if (!candidates.isEmpty()) {
            // a batch's contacts and their events share a partition (their ids' rand_a bits): see ContactsImportedEvent
            int partition = Ids.newPartition();
            UUID[] eventIds = new UUID[(candidates.size() + CONTACTS_PER_EVENT - 1) / CONTACTS_PER_EVENT];
            for (int i = 0; i < eventIds.length; i++) {
                eventIds[i] = Ids.newUuid(partition);
            }
            List<ContactIdentities.Claim> claims = new ArrayList<>(candidates.size());
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                claims.add(new ContactIdentities.Claim(Ids.newUuid(partition), c.profile.externalId(),
                                                       c.profile.email(), eventIds[i / CONTACTS_PER_EVENT]));
            }
            Set<UUID> inserted = identities.reserveAll(claims);
            List<Candidate> held = new ArrayList<>();
            List<List<ContactsImportedEvent.ImportedContact>> chunks = new ArrayList<>(eventIds.length);
            for (int i = 0; i < eventIds.length; i++) {
                chunks.add(new ArrayList<>(CONTACTS_PER_EVENT));
            }
            for (int i = 0; i < claims.size(); i++) {
                ContactIdentities.Claim claim = claims.get(i);
                Candidate candidate = candidates.get(i);
                if (!inserted.contains(claim.contactId())) {
                    held.add(candidate); // its email or external id belongs to a contact already
                    continue;
                }
                chunks.get(i / CONTACTS_PER_EVENT).add(new ContactsImportedEvent.ImportedContact(
                        claim.contactId().toString(), candidate.profile, Contact.withoutNulls(candidate.attributes)));
                created++;
            }
            List<EventMessage<?>> events = new ArrayList<>(chunks.size());
            for (int i = 0; i < chunks.size(); i++) {
                if (!chunks.get(i).isEmpty()) {
                    events.add(new GenericEventMessage<>(
                            eventIds[i].toString(), new ContactsImportedEvent(command.importId(), command.batch(), chunks.get(i)),
                            CurrentUnitOfWork.correlationData(), now));
                }
            }
            eventBus.publish(events);

            if (!held.isEmpty()) {
                Map<String, String> existingByExternalId = identities.byExternalIds(
                        held.stream().map(c -> c.profile.externalId()).filter(java.util.Objects::nonNull).toList());
                Map<String, String> existingByEmail = identities.byEmails(
                        held.stream().map(c -> c.profile.email()).filter(java.util.Objects::nonNull).toList());
                for (Candidate candidate : held) {
                    String idByExternalId = candidate.profile.externalId() == null ? null
                            : existingByExternalId.get(candidate.profile.externalId());
                    String idByEmail = candidate.profile.email() == null ? null
                            : existingByEmail.get(candidate.profile.email());
                    if (idByExternalId != null && idByEmail != null && !idByExternalId.equals(idByEmail)) {
                        rejected.add(new RejectedRow(candidate.rowNumber, "contact.email-taken",
                                                     "The email belongs to another contact than the external id"));
                    } else if (idByExternalId == null && idByEmail == null) {
                        // its claim collided, yet nobody holds it now: a concurrent writer's, rolled back since
                        rejected.add(new RejectedRow(candidate.rowNumber, "import.row.conflict",
                                                     "Another request created this contact at the same moment"));
                    } else if (mode == ImportMode.CREATE_ONLY) {
                        rejected.add(new RejectedRow(candidate.rowNumber, "import.row.exists",
                                                     "A contact with this email or external id exists"));
                    } else {
                        matches.add(Map.entry(idByExternalId != null ? idByExternalId : idByEmail, candidate));
                    }
                }
            }
        }
        for (Map.Entry<String, Candidate> match : matches) {
            Candidate candidate = match.getValue();
            Aggregate<Contact> contact = contacts.load(match.getKey());
            String conflict = contact.invoke(c -> c.importConflict(candidate.profile));
            if (conflict != null) {
                rejected.add(new RejectedRow(candidate.rowNumber, "contact.external-id-mismatch", conflict));
                continue;
            }
            contact.execute(c -> c.upsert(candidate.profile, candidate.attributes, null, null, source, now, identities));
            updated++;
        }

        rejected.sort(Comparator.comparingLong(RejectedRow::rowNumber));
        long read = command.rows().size() + command.rejected().size();
        jobs.advance(command.importId(), command.batch() + 1, command.lastRow() + 1);
        // the import's own stream: started is sequence 0, batch n is sequence n + 1, so a batch can be
        // recorded once only (a second writer of the same batch fails on the event store's unique key)
        ContactImportBatchProcessedEvent processed = new ContactImportBatchProcessedEvent(
                command.importId(), command.batch(), command.lastRow(), read, created, updated, rejected.size(), rejected);
        eventBus.publish(new GenericDomainEventMessage<>(ContactImport.AGGREGATE_TYPE, command.importId(),
                                                         command.batch() + 1, processed,
                                                         CurrentUnitOfWork.correlationData(), Ids.newId(), now));
        metrics.importBatch(created, updated, rejected.size()); // herald.imports.rows, once committed
        return command.batch();
    }

    private static Candidate prepare(ImportRow row, ContactSettings settings) {
        ContactProfile profile = new ContactProfile(
                ContactRules.externalId(blank(row.externalId()), "externalId"),
                ContactRules.email(blank(row.email()), "email"),
                ContactRules.phone(blank(row.phone()), settings.defaultPhoneRegion(), "phone"),
                ContactRules.timeZone(blank(row.timeZone()), "timeZone"),
                ContactRules.locale(blank(row.locale()), "locale"));
        if (!profile.hasIdentity()) {
            throw DomainException.invalid("email", "import.row.identity-missing",
                                          "The row has neither an email nor an external id");
        }
        return new Candidate(row.rowNumber(), profile, AttributeValues.normalize(row.attributes(), "attributes"));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static void index(Candidate c, Map<String, Candidate> byExternalId, Map<String, Candidate> byEmail) {
        if (c.profile.externalId() != null) {
            byExternalId.put(c.profile.externalId(), c);
        }
        if (c.profile.email() != null) {
            byEmail.put(c.profile.email(), c);
        }
    }

    private static String mergeConflict(Candidate earlier, Candidate later, Candidate sameExternalId,
                                        Candidate sameEmail) {
        if (sameExternalId != null && sameEmail != null && sameExternalId != sameEmail) {
            return "The external id and the email belong to different rows (" + sameExternalId.rowNumber + ", "
                    + sameEmail.rowNumber + ")";
        }
        if (later.profile.externalId() != null && earlier.profile.externalId() != null
                && !later.profile.externalId().equals(earlier.profile.externalId())) {
            return "Row " + earlier.rowNumber + " has this email with another external id";
        }
        return null;
    }

    private static void merge(Candidate into, Candidate later) {
        ContactProfile a = into.profile;
        ContactProfile b = later.profile;
        into.profile = new ContactProfile(first(b.externalId(), a.externalId()), first(b.email(), a.email()),
                                          first(b.phone(), a.phone()), first(b.timeZone(), a.timeZone()),
                                          first(b.locale(), a.locale()));
        into.attributes.putAll(later.attributes);
        into.rows++;
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }
}
