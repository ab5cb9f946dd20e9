package io.herald.query.tracking;

import io.herald.api.contact.ContactEvent;
import io.herald.api.contact.ContactsImportedEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.springframework.stereotype.Component;

/**
 * Sequencing of the {@code audience} processing group: by aggregate, like Axon's default, except
 * that a contact's events are sequenced by the contact's partition ({@link ContactsImportedEvent#partitionOf},
 * 12 bits of its id), and an import batch's {@link ContactsImportedEvent} by the partition its id
 * and all its contacts' ids share: the creation of an imported contact and everything that happens
 * to it later are then handled in the same segment, in order (the contact read model applies a
 * change only to a row that exists). An {@link Integer} partition matches the same segment as its
 * contacts for every segment count up to 4,096 (Axon matches a sequence by its hash and the
 * segment's mask).
 * <p>
 * Tracked events and visitors' links are not in this group: the tracked-events read model is written
 * in the tracking command's transaction ({@code TrackedEventProjection}). The policy never
 * deserialises a payload (the processor's coordinator calls it for every event).
 */
@Component(AudienceSequencingPolicy.BEAN)
public class AudienceSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    public static final String BEAN = "audienceSequencingPolicy";

    private final SequentialPerAggregatePolicy byAggregate = SequentialPerAggregatePolicy.instance();

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        Class<?> type = event.getPayloadType();
        if (ContactsImportedEvent.class.equals(type)) {
            return ContactsImportedEvent.partitionOf(event.getIdentifier());
        }
        if (ContactEvent.class.isAssignableFrom(type) && event instanceof DomainEventMessage<?> domainEvent) {
            return ContactsImportedEvent.partitionOf(domainEvent.getAggregateIdentifier());
        }
        return byAggregate.getSequenceIdentifierFor(event);
    }
}
