package io.herald.query.tracking;

import io.herald.api.contact.ContactAttributesChangedEvent;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactProfile;
import io.herald.api.contact.ContactsImportedEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An import batch's event and the later events of its contacts must meet in one processor segment,
 * whatever the segment count, or the contact read model could see a contact's change before its
 * creation. Checked with Axon's own segments and matching.
 */
class AudienceSequencingPolicyTest {

    private final AudienceSequencingPolicy policy = new AudienceSequencingPolicy();
    private final Random random = new Random(7);

    /** A version-7 UUID with the given 12 rand_a bits, as the import writes them. */
    private UUID v7(int partition) {
        long msb = (System.currentTimeMillis() << 16) | 0x7000L | (partition & 0xFFF);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    @Test
    void aBatchEventAndItsContactsEvents_matchTheSameSegment_forEverySegmentCountUpTo4096() {
        for (int round = 0; round < 50; round++) {
            int partition = random.nextInt(ContactsImportedEvent.PARTITIONS);
            String eventId = v7(partition).toString();
            List<ContactsImportedEvent.ImportedContact> contacts = new ArrayList<>();
            List<EventMessage<?>> later = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String contactId = v7(partition).toString();
                contacts.add(new ContactsImportedEvent.ImportedContact(contactId, ContactProfile.EMPTY, Map.of()));
                later.add(new GenericDomainEventMessage<>("Contact", contactId, 1L,
                                                          new ContactAttributesChangedEvent(contactId, Map.of("a", 1),
                                                                                            List.of(), "api")));
            }
            EventMessage<?> batch = new GenericEventMessage<>(
                    eventId, new ContactsImportedEvent("import-1", 0, contacts), MetaData.emptyInstance(), Instant.now());
            Object batchSequence = policy.getSequenceIdentifierFor(batch);
            for (int count : new int[] {1, 2, 3, 4, 7, 16, 100, 1024, 4096}) {
                for (Segment segment : Segment.splitBalanced(Segment.ROOT_SEGMENT, count - 1)) {
                    boolean batchHere = segment.matches(batchSequence);
                    for (EventMessage<?> event : later) {
                        assertThat(segment.matches(policy.getSequenceIdentifierFor(event)))
                                .as("%d segments, segment %s", count, segment).isEqualTo(batchHere);
                    }
                }
            }
        }
    }

    @Test
    void aContactsEvents_shareOneSequence_andOtherContactsSpreadOverPartitions() {
        String contactId = UUID.randomUUID().toString();
        Object created = policy.getSequenceIdentifierFor(new GenericDomainEventMessage<>(
                "Contact", contactId, 0L, new ContactCreatedEvent(contactId, ContactProfile.EMPTY, Map.of(), Map.of(), "api")));
        Object changed = policy.getSequenceIdentifierFor(new GenericDomainEventMessage<>(
                "Contact", contactId, 1L, new ContactAttributesChangedEvent(contactId, Map.of("a", 1), List.of(), "api")));
        assertThat(created).isEqualTo(changed).isEqualTo(ContactsImportedEvent.partitionOf(contactId));
        assertThat(ContactsImportedEvent.partitionOf(contactId))
                .isEqualTo((int) (UUID.fromString(contactId).getMostSignificantBits() & 0xFFF));
        assertThat(ContactsImportedEvent.partitionOf("not-a-uuid")).isBetween(0, ContactsImportedEvent.PARTITIONS - 1);
    }
}
