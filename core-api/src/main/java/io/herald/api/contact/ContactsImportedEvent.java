package io.herald.api.contact;

import org.axonframework.serialization.Revision;

import java.util.List;
import java.util.Map;

/**
 * The contacts one import batch created, in one event: the creation of each of them (it stands in
 * for a {@link ContactCreatedEvent} at sequence 0 of the contact's stream, which imports do not
 * write). The contact aggregate, the contact read model and the timeline read a contact's creation
 * from here; the contact's own stream holds what happened to it afterwards, from sequence 1.
 * <p>
 * Ordering: the event's id and the ids of its contacts are UUIDs (version 7) that share their 12
 * random {@code rand_a} bits, the batch's {@linkplain #partitionOf partition}. Read models sequence
 * a contact's events by that partition, so this event and every later event of its contacts land in
 * the same processor segment, in order, for up to 4,096 segments.
 *
 * @param importId  the import
 * @param batch     the batch number within the import
 * @param contacts  the contacts created, in row order
 */
@Revision("1")
public record ContactsImportedEvent(String importId, long batch, List<ImportedContact> contacts) {

    /** Partitions: the 12 {@code rand_a} bits of a version-7 UUID. */
    public static final int PARTITIONS = 1 << 12;

    /** One created contact: what its {@link ContactCreatedEvent} would carry (no consent at creation). */
    public record ImportedContact(String contactId, ContactProfile profile, Map<String, Object> attributes) {
    }

    /** The source every contact of an import is created with. */
    public String source() {
        return "import:" + importId;
    }

    /** The creation of one of the contacts, as the contact's first event. */
    public ContactCreatedEvent creationOf(ImportedContact contact) {
        return new ContactCreatedEvent(contact.contactId(), contact.profile(),
                                       contact.attributes() == null ? Map.of() : contact.attributes(), Map.of(),
                                       source());
    }

    /**
     * The partition of a contact or event id: bits 0–11 of a UUID's most significant half (the
     * {@code rand_a} field of a version-7 UUID, characters 15–17 of its text). Ids that are not
     * UUIDs fall back to a hash, so every id has one stable partition.
     */
    public static int partitionOf(String id) {
        if (id != null && id.length() == 36 && id.charAt(13) == '-' && id.charAt(18) == '-') {
            int a = Character.digit(id.charAt(15), 16);
            int b = Character.digit(id.charAt(16), 16);
            int c = Character.digit(id.charAt(17), 16);
            if (a >= 0 && b >= 0 && c >= 0) {
                return a << 8 | b << 4 | c;
            }
        }
        return (id == null ? 0 : id.hashCode()) & (PARTITIONS - 1);
    }
}
