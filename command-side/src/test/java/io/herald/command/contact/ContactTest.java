package io.herald.command.contact;

import io.herald.api.campaign.Channel;
import io.herald.api.common.DomainException;
import io.herald.api.contact.ChangeContactConsentCommand;
import io.herald.api.contact.Consent;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.contact.ContactAttributesChangedEvent;
import io.herald.api.contact.ContactConflictException;
import io.herald.api.contact.ContactConsentChangedEvent;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactProfile;
import io.herald.api.contact.ContactProfileChangedEvent;
import io.herald.api.contact.FieldPatch;
import io.herald.api.contact.UpdateContactCommand;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class ContactTest {

    private static final String ID = "01900000-0000-7000-8000-000000000001";
    private static final ContactProfile PROFILE = new ContactProfile("u-1", "ada@example.com", null, null, null);

    private AggregateTestFixture<Contact> fixture;
    private ContactIdentities identities;
    private Instant now;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Contact.class);
        identities = mock(ContactIdentities.class);
        now = fixture.currentTime();
        fixture.registerInjectableResource(identities);
        fixture.registerInjectableResource(ContactSettings.defaults());
        fixture.registerInjectableResource(Clock.fixed(now, ZoneOffset.UTC));
    }

    private ContactCreatedEvent created() {
        return new ContactCreatedEvent(ID, PROFILE, Map.of("plan", "pro", "age", 42), Map.of(), "api");
    }

    private static UpdateContactCommand attributes(Map<String, Object> attributes) {
        return new UpdateContactCommand(ID, null, null, null, null, null, attributes);
    }

    @Test
    void updateContact_mergingAttributes_recordsOnlyRealChangesAndRemovals() {
        Map<String, Object> change = new HashMap<>();
        change.put("plan", "pro");      // unchanged
        change.put("age", 42.0);        // the same number
        change.put("seats", 5);
        change.put("missing", null);    // nothing to remove
        change.put("gone", null);
        fixture.given(new ContactCreatedEvent(ID, PROFILE, Map.of("plan", "pro", "age", 42, "gone", true), Map.of(), "api"))
               .when(attributes(change))
               .expectEvents(new ContactAttributesChangedEvent(ID, Map.of("seats", 5), List.of("gone"), "api"))
               .expectResultMessagePayload(1L);
    }

    @Test
    void updateContact_withNothingNew_recordsNoEvent() {
        fixture.given(created())
               .when(attributes(Map.of("plan", "pro")))
               .expectNoEvents()
               .expectResultMessagePayload(0L);
    }

    @Test
    void updateContact_newEmail_isNormalisedAndClaimedInTheIdentityLookup() {
        fixture.given(created())
               .when(new UpdateContactCommand(ID, null, new FieldPatch(" Ada.L@EXAMPLE.org "), new FieldPatch("+1 415 555 0100"),
                                              null, new FieldPatch("en_GB"), null))
               .expectEvents(new ContactProfileChangedEvent(
                       ID, new ContactProfile("u-1", "ada.l@example.org", "+14155550100", null, "en-GB"),
                       List.of("email", "phone", "locale"), "api"));
        verify(identities).update(ID, "u-1", "ada.l@example.org");
    }

    @Test
    void updateContact_emailHeldByAnotherContact_isAConflictWithoutEvent() {
        doThrow(new ContactConflictException(ContactConflictException.EMAIL_TAKEN, "email", "taken", "other"))
                .when(identities).update(eq(ID), any(), eq("bob@example.com"));
        fixture.given(created())
               .when(new UpdateContactCommand(ID, null, new FieldPatch("bob@example.com"), null, null, null, null))
               .expectNoEvents()
               .expectException(ContactConflictException.class);
    }

    @Test
    void updateContact_removingTheLastIdentity_isRejected() {
        fixture.given(new ContactCreatedEvent(ID, new ContactProfile(null, "ada@example.com", null, null, null),
                                              Map.of(), Map.of(), "api"))
               .when(new UpdateContactCommand(ID, null, FieldPatch.REMOVE, null, null, null, null))
               .expectNoEvents()
               .expectException(DomainException.class)
               .expectExceptionMessage("A contact keeps an email or an external id");
        verify(identities, never()).update(any(), any(), any());
    }

    @Test
    void updateContact_invalidPhone_isRejectedNamingTheField() {
        fixture.given(created())
               .when(new UpdateContactCommand(ID, null, null, new FieldPatch("12"), null, null, null))
               .expectNoEvents()
               .expectException(DomainException.class);
    }

    @Test
    void changeConsent_recordsStatusWithWhenWhyAndThePreviousStatus() {
        Consent unsubscribed = new Consent(ConsentStatus.UNSUBSCRIBED, now, "clicked unsubscribe", "api");
        fixture.given(new ContactCreatedEvent(ID, PROFILE, Map.of(), Map.of(Channel.EMAIL,
                new Consent(ConsentStatus.SUBSCRIBED, now.minusSeconds(60), null, "import")), "api"))
               .when(new ChangeContactConsentCommand(ID, Channel.EMAIL, ConsentStatus.UNSUBSCRIBED, "clicked unsubscribe", "api"))
               .expectEvents(new ContactConsentChangedEvent(ID, Channel.EMAIL, unsubscribed, ConsentStatus.SUBSCRIBED))
               .expectResultMessagePayload(1L);
    }

    @Test
    void changeConsent_toTheSameStatus_recordsNothing() {
        fixture.given(created(), new ContactConsentChangedEvent(ID, Channel.SMS,
                                                                new Consent(ConsentStatus.BOUNCED, now, "550", "smtp"), null))
               .when(new ChangeContactConsentCommand(ID, Channel.SMS, ConsentStatus.BOUNCED, "again", "smtp"))
               .expectNoEvents();
    }

    @Test
    void commands_onAnIdWithoutAContact_areNotFound() {
        fixture.givenNoPriorActivity()
               .when(new ChangeContactConsentCommand(ID, Channel.EMAIL, ConsentStatus.SUBSCRIBED, null, "api"))
               .expectException(AggregateNotFoundException.class);
    }
}
