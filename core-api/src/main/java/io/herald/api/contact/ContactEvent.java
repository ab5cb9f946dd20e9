package io.herald.api.contact;

/** Everything that can happen to a contact's profile; the event store keeps them as its history. */
public sealed interface ContactEvent permits ContactCreatedEvent, ContactProfileChangedEvent,
        ContactAttributesChangedEvent, ContactConsentChangedEvent, ContactAnonymousIdLinkedEvent {

    String contactId();
}
