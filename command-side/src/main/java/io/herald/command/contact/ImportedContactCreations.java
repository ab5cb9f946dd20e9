package io.herald.command.contact;

import io.herald.api.contact.ContactsImportedEvent;
import io.herald.eventstore.StoredEvent;
import io.herald.eventstore.StoredEvents;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The creation of contacts that an import wrote in a {@link ContactsImportedEvent} (one per batch)
 * rather than at sequence 0 of their own streams. The contact repository's reads of a contact's
 * stream pass through {@link #withCreation} ({@link ContactRepositoryConfiguration}): a stream that
 * does not start at sequence 0 and belongs to an imported contact ({@code contact_identity.origin_event})
 * gets the contact's creation put in front,
 * as the {@link io.herald.api.contact.ContactCreatedEvent} the aggregate applies, so the aggregate
 * loads the same state as if the import had written one event per contact. Its next event is
 * sequence 1, as it would have been.
 * <p>
 * The last {@value #CACHED_BATCHES} import events read are kept (deserialised, by contact; 100
 * contacts each), because an import that updates contacts reads the contacts of an earlier import
 * one after the other, in the order they were created.
 */
@Component
public class ImportedContactCreations {

    private static final int CACHED_BATCHES = 32;

    private final JdbcTemplate jdbc;
    private final StoredEvents storedEvents;
    private final Serializer serializer;
    /** The creations of the last import events read, by event id, then by contact id. */
    private final Map<String, Map<String, DomainEventMessage<?>>> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, DomainEventMessage<?>>> eldest) {
            return size() > CACHED_BATCHES;
        }
    };

    public ImportedContactCreations(DataSource dataSource, StoredEvents storedEvents, Serializer serializer) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.storedEvents = storedEvents;
        this.serializer = serializer;
    }

    /** {@code stored}, with the contact's creation in front when an import batch holds it. */
    public DomainEventStream withCreation(String aggregateIdentifier, DomainEventStream stored) {
        if (stored.hasNext() && stored.peek().getSequenceNumber() == 0) {
            return stored;
        }
        if (!Ids.isUuid(aggregateIdentifier)) {
            return stored;
        }
        DomainEventMessage<?> creation = creation(aggregateIdentifier);
        return creation == null ? stored : DomainEventStream.concat(DomainEventStream.of(creation), stored);
    }

    /** The creation of an imported contact, or null when the contact was not created by an import. */
    DomainEventMessage<?> creation(String contactId) {
        List<String> origins = jdbc.queryForList(
                "select origin_event::text from contact_identity where contact_id = ?::uuid and origin_event is not null",
                String.class, contactId);
        if (origins.isEmpty()) {
            return null;
        }
        String eventId = origins.get(0);
        Map<String, DomainEventMessage<?>> batch;
        synchronized (recent) {
            batch = recent.get(eventId);
        }
        if (batch == null) {
            batch = read(eventId);
            if (batch == null) {
                return null;
            }
            synchronized (recent) {
                recent.put(eventId, batch);
            }
        }
        return batch.get(contactId);
    }

    private Map<String, DomainEventMessage<?>> read(String eventId) {
        Optional<StoredEvent> stored = storedEvents.byEventId(eventId);
        if (stored.isEmpty()) {
            return null;
        }
        ContactsImportedEvent event = stored.get().payload(serializer);
        MetaData metaData = stored.get().metaData(serializer);
        Map<String, DomainEventMessage<?>> byContact = new HashMap<>();
        for (ContactsImportedEvent.ImportedContact contact : event.contacts()) {
            // a stable id of its own: the creation is not a stored message
            String id = UUID.nameUUIDFromBytes(("herald:imported-contact:" + eventId + ":"
                    + contact.contactId()).getBytes(StandardCharsets.UTF_8)).toString();
            byContact.put(contact.contactId(), new GenericDomainEventMessage<>(
                    Contact.AGGREGATE_TYPE, contact.contactId(), 0L, event.creationOf(contact), metaData,
                    id, stored.get().timestamp()));
        }
        return byContact;
    }
}
