package io.herald.query.tracking;

import io.herald.api.contact.ContactAnonymousIdLinkedEvent;
import io.herald.api.contact.ContactEvent;
import io.herald.api.contact.ContactsImportedEvent;
import io.herald.api.tracking.EventTrackedEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.springframework.stereotype.Component;

/**
 * Sequencing of the {@code audience} processing group: by aggregate, like Axon's default, except
 * for two things.
 * <p>
 * A contact's events are sequenced by the contact's partition ({@link ContactsImportedEvent#partitionOf},
 * 12 bits of its id), and an import batch's {@link ContactsImportedEvent} by the partition its id
 * and all its contacts' ids share: the creation of an imported contact and everything that happens
 * to it later are then handled in the same segment, in order (the contact read model applies a
 * change only to a row that exists). An {@link Integer} partition matches the same segment as its
 * contacts for every segment count up to 4,096 (Axon matches a sequence by its hash and the
 * segment's mask).
 * <p>
 * A visitor's link to a contact and the visitor's unattributed tracked events share one
 * sequence (keyed by the anonymous id). Otherwise two segments could write a visitor's event and
 * its link at the same moment, each transaction unable to see the other's row, and the event would
 * stay unattributed. The contact profile projection does not read the link event, so taking it out
 * of the contact's sequence changes nothing there.
 */
@Component(AudienceSequencingPolicy.BEAN)
public class AudienceSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    public static final String BEAN = "audienceSequencingPolicy";

    private final SequentialPerAggregatePolicy byAggregate = SequentialPerAggregatePolicy.instance();

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        // the type first: other events are not deserialised here (the processor's coordinator calls this)
        Class<?> type = event.getPayloadType();
        if (ContactsImportedEvent.class.equals(type)) {
            return ContactsImportedEvent.partitionOf(event.getIdentifier());
        }
        if (ContactAnonymousIdLinkedEvent.class.equals(type)) {
            return "anonymous:" + ((ContactAnonymousIdLinkedEvent) event.getPayload()).anonymousId();
        }
        if (EventTrackedEvent.class.equals(type)) {
            // deserialised once: the projection's handler gets the same message
            EventTrackedEvent tracked = (EventTrackedEvent) event.getPayload();
            if (tracked.contactId() == null && tracked.anonymousId() != null) {
                return "anonymous:" + tracked.anonymousId();
            }
        }
        if (ContactEvent.class.isAssignableFrom(type) && event instanceof DomainEventMessage<?> domainEvent) {
            return ContactsImportedEvent.partitionOf(domainEvent.getAggregateIdentifier());
        }
        return byAggregate.getSequenceIdentifierFor(event);
    }
}
