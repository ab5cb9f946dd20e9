package io.herald.command.contact;

import io.herald.api.campaign.Channel;
import io.herald.api.common.DomainException;
import io.herald.api.contact.AttributeValues;
import io.herald.api.contact.ChangeContactConsentCommand;
import io.herald.api.contact.Consent;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.contact.ContactAnonymousIdLinkedEvent;
import io.herald.api.contact.ContactAttributesChangedEvent;
import io.herald.api.contact.ContactConflictException;
import io.herald.api.contact.ContactConsentChangedEvent;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactProfile;
import io.herald.api.contact.ContactProfileChangedEvent;
import io.herald.api.contact.FieldPatch;
import io.herald.api.contact.UpdateContactCommand;
import io.herald.command.ExpectedVersion;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.spring.stereotype.Aggregate;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A contact: its identity and addresses, attributes and per-channel consent. Created and matched
 * (upserts, identify, imports) by {@link ContactCommandHandler} and {@link ContactImportBatchHandler},
 * which own the set-based identity lookup; changed here. Only real changes become events.
 */
@Aggregate(repository = ContactRepositoryConfiguration.REPOSITORY)
final class Contact {

    static final String AGGREGATE_TYPE = "Contact";

    @AggregateIdentifier
    private String contactId;
    private ContactProfile profile;
    private final Map<String, Object> attributes = new HashMap<>();
    private final Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
    private long version;

    Contact() {
        // for Axon
    }

    /** A new contact (values already normalised, identity already claimed). */
    Contact(String contactId, ContactProfile profile, Map<String, Object> attributes, Map<Channel, Consent> consent,
            String source) {
        apply(new ContactCreatedEvent(contactId, profile, withoutNulls(attributes), consent, source));
    }

    /** Commands must find a contact here, not an id of something else. */
    @CommandHandlerInterceptor
    Object requireContact(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        if (contactId == null) {
            throw new AggregateNotFoundException(null, "No contact with that id");
        }
        ExpectedVersion.check(command, contactId, version);
        return chain.proceed();
    }

    @CommandHandler
    long handle(UpdateContactCommand command, ContactIdentities identities, ContactSettings settings) {
        ContactProfile next = profile;
        if (command.externalId() != null) {
            next = next.withExternalId(ContactRules.externalId(command.externalId().value(), "externalId"));
        }
        if (command.email() != null) {
            next = next.withEmail(ContactRules.email(command.email().value(), "email"));
        }
        if (command.phone() != null) {
            next = next.withPhone(ContactRules.phone(command.phone().value(), settings.defaultPhoneRegion(), "phone"));
        }
        if (command.timeZone() != null) {
            next = next.withTimeZone(ContactRules.timeZone(command.timeZone().value(), "timeZone"));
        }
        if (command.locale() != null) {
            next = next.withLocale(ContactRules.locale(command.locale().value(), "locale"));
        }
        if (!next.hasIdentity()) {
            throw DomainException.invalid(command.email() != null ? "email" : "externalId", "contact.identity.missing",
                                          "A contact keeps an email or an external id");
        }
        Map<String, Object> merged = AttributeValues.normalize(command.attributes(), "attributes");
        changeProfile(next, identities, "api");
        mergeAttributes(merged, "api");
        return version;
    }

    @CommandHandler
    long handle(ChangeContactConsentCommand command, Clock clock) {
        changeConsent(command.channel(), command.status(), command.reason(), command.source(), clock.instant());
        return version;
    }

    /**
     * An upsert that matched this contact. Fields of {@code given} that are null are left alone;
     * attributes are merged (null removes); consent is set per channel.
     */
    long upsert(ContactProfile given, Map<String, Object> attributes, Map<Channel, ConsentStatus> consentGiven,
                String reason, String source, Instant now, ContactIdentities identities) {
        if (given.externalId() != null && profile.externalId() != null
                && !given.externalId().equals(profile.externalId())) {
            throw new ContactConflictException(ContactConflictException.EXTERNAL_ID_MISMATCH, "externalId",
                                               "The contact with this email has another external id", contactId);
        }
        ContactProfile next = new ContactProfile(
                coalesce(given.externalId(), profile.externalId()), coalesce(given.email(), profile.email()),
                coalesce(given.phone(), profile.phone()), coalesce(given.timeZone(), profile.timeZone()),
                coalesce(given.locale(), profile.locale()));
        changeProfile(next, identities, source);
        mergeAttributes(attributes, source);
        if (consentGiven != null) {
            consentGiven.forEach((channel, status) -> changeConsent(channel, status, reason, source, now));
        }
        return version;
    }

    /** The visitor with this anonymous id is this contact (the id's claim is made by {@link AnonymousIds}). */
    void linkAnonymousId(String anonymousId, String source) {
        apply(new ContactAnonymousIdLinkedEvent(contactId, anonymousId, source));
    }

    /** Why an import row matched by email cannot update this contact, or null when it can. */
    String importConflict(ContactProfile given) {
        if (given.externalId() != null && profile.externalId() != null
                && !given.externalId().equals(profile.externalId())) {
            return "The contact with this email has another external id";
        }
        return null;
    }

    long version() {
        return version;
    }

    private void changeProfile(ContactProfile next, ContactIdentities identities, String source) {
        if (next.equals(profile)) {
            return;
        }
        List<String> changed = new ArrayList<>();
        if (!Objects.equals(next.externalId(), profile.externalId())) {
            changed.add("externalId");
        }
        if (!Objects.equals(next.email(), profile.email())) {
            changed.add("email");
        }
        if (!Objects.equals(next.phone(), profile.phone())) {
            changed.add("phone");
        }
        if (!Objects.equals(next.timeZone(), profile.timeZone())) {
            changed.add("timeZone");
        }
        if (!Objects.equals(next.locale(), profile.locale())) {
            changed.add("locale");
        }
        if (changed.contains("email") || changed.contains("externalId")) {
            identities.update(contactId, next.externalId(), next.email());
        }
        apply(new ContactProfileChangedEvent(contactId, next, changed, source));
    }

    private void mergeAttributes(Map<String, Object> given, String source) {
        if (given == null || given.isEmpty()) {
            return;
        }
        Map<String, Object> set = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        given.forEach((key, value) -> {
            if (value == null) {
                if (attributes.containsKey(key)) {
                    removed.add(key);
                }
            } else if (!sameValue(attributes.get(key), value)) {
                set.put(key, value);
            }
        });
        if (!set.isEmpty() || !removed.isEmpty()) {
            apply(new ContactAttributesChangedEvent(contactId, set, removed, source));
        }
    }

    private void changeConsent(Channel channel, ConsentStatus status, String reason, String source, Instant now) {
        Consent current = consent.get(channel);
        if (current != null && current.status() == status) {
            return;
        }
        apply(new ContactConsentChangedEvent(contactId, channel, new Consent(status, now, reason, source),
                                             current == null ? null : current.status()));
    }

    /** JSON equality: numbers by value (1 = 1.0), lists item by item. */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameValue(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static <T> T coalesce(T first, T second) {
        return first != null ? first : second;
    }

    static Map<String, Object> withoutNulls(Map<String, Object> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (attributes != null) {
            attributes.forEach((k, v) -> {
                if (v != null) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    @EventSourcingHandler
    void on(ContactCreatedEvent event, @SequenceNumber long sequence) {
        contactId = event.contactId();
        profile = event.profile();
        if (event.attributes() != null) {
            attributes.putAll(event.attributes());
        }
        if (event.consent() != null) {
            consent.putAll(event.consent());
        }
        version = sequence;
    }

    @EventSourcingHandler
    void on(ContactProfileChangedEvent event, @SequenceNumber long sequence) {
        profile = event.profile();
        version = sequence;
    }

    @EventSourcingHandler
    void on(ContactAttributesChangedEvent event, @SequenceNumber long sequence) {
        if (event.set() != null) {
            attributes.putAll(event.set());
        }
        if (event.removed() != null) {
            event.removed().forEach(attributes::remove);
        }
        version = sequence;
    }

    @EventSourcingHandler
    void on(ContactAnonymousIdLinkedEvent event, @SequenceNumber long sequence) {
        version = sequence;
    }

    @EventSourcingHandler
    void on(ContactConsentChangedEvent event, @SequenceNumber long sequence) {
        consent.put(event.channel(), event.consent());
        version = sequence;
    }
}
