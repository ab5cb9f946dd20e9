package io.herald.command.contact;

import io.herald.api.campaign.Channel;
import io.herald.api.common.DomainException;
import io.herald.api.contact.AttributeValues;
import io.herald.api.contact.Consent;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.contact.ContactProfile;
import io.herald.api.contact.ContactWriteResult;
import io.herald.api.contact.UpsertContactCommand;
import io.herald.api.tracking.IdentifyCommand;
import io.herald.api.tracking.IdentifyResult;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Upserts and Segment-style identifies: finds the contact by external id (first) or email through
 * the identity lookup, then changes it, or claims the identity and creates it. The claim and the
 * contact's events commit in one transaction; when a concurrent request claimed the same email or
 * external id first, the upsert resolves again and updates that contact instead.
 */
@Component
class ContactCommandHandler {

    private static final int ATTEMPTS = 3;

    private final ObjectProvider<org.axonframework.config.Configuration> axon;

    ContactCommandHandler(ObjectProvider<org.axonframework.config.Configuration> axon) {
        this.axon = axon;
    }

    private Repository<Contact> contacts() {
        return axon.getObject().repository(Contact.class);
    }

    @CommandHandler
    ContactWriteResult handle(UpsertContactCommand command, ContactIdentities identities, ContactSettings settings,
                              Clock clock) throws Exception {
        ContactProfile given = new ContactProfile(
                ContactRules.externalId(command.externalId(), "externalId"),
                ContactRules.email(command.email(), "email"),
                ContactRules.phone(command.phone(), settings.defaultPhoneRegion(), "phone"),
                ContactRules.timeZone(command.timeZone(), "timeZone"),
                ContactRules.locale(command.locale(), "locale"));
        if (!given.hasIdentity()) {
            throw DomainException.invalid("email", "contact.identity.missing",
                                          "A contact needs an email or an external id");
        }
        Map<String, Object> attributes = AttributeValues.normalize(command.attributes(), "attributes");
        String source = command.source() == null ? "api" : command.source();
        return upsert(given, attributes, command.consent(), command.consentReason(), source, clock.instant(),
                      identities);
    }

    @CommandHandler
    IdentifyResult handle(IdentifyCommand command, ContactIdentities identities, AnonymousIds anonymousIds,
                          TrackingMessages messages, ContactSettings settings, Clock clock) throws Exception {
        if (command.userId() == null || command.userId().isBlank()) {
            throw DomainException.invalid("userId", "tracking.user-id.missing",
                                          "identify needs a userId (the contact's external id)");
        }
        String userId = ContactRules.externalId(command.userId(), "userId");
        if (command.messageId() != null && command.messageId().length() > 200) {
            throw DomainException.invalid("messageId", "tracking.message-id.invalid", "messageId is at most 200 characters");
        }
        String anonymousId = ContactRules.anonymousId(command.anonymousId(), "anonymousId");
        Map<String, Object> traits = flatten(command.traits());
        ContactProfile given = new ContactProfile(
                userId,
                ContactRules.email(text(traits.remove("email")), "traits.email"),
                ContactRules.phone(text(traits.remove("phone")), settings.defaultPhoneRegion(), "traits.phone"),
                ContactRules.timeZone(text(firstOf(traits, "timezone", "timeZone")), "traits.timezone"),
                ContactRules.locale(text(traits.remove("locale")), "traits.locale"));
        Map<String, Object> attributes = AttributeValues.normalize(traits, "traits");
        if (command.messageId() != null && !messages.claim(command.messageId())) {
            return new IdentifyResult(identities.find(userId, null).byExternalId(), true, false);
        }
        if (!settings.createUnknownContacts() && identities.find(userId, given.email()).target() == null) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "tracking.contact.unknown",
                                      "No contact has this userId, and creating contacts from events is off",
                                      "userId", Map.of());
        }
        String source = command.source() == null ? "identify" : command.source();
        ContactWriteResult result = upsert(given, attributes, null, null, source, clock.instant(), identities);
        if (anonymousId != null) {
            // the visitor signed in: their anonymous events are this contact's (unless linked to another before)
            anonymousIds.link(Map.of(anonymousId, result.contactId()), source, contacts());
        }
        return new IdentifyResult(result.contactId(), false, result.created());
    }

    ContactWriteResult upsert(ContactProfile given, Map<String, Object> attributes,
                              Map<Channel, ConsentStatus> consent, String reason, String source, Instant now,
                              ContactIdentities identities) throws Exception {
        for (int attempt = 1; ; attempt++) {
            ContactIdentities.Match match = identities.find(given.externalId(), given.email());
            if (match.byExternalId() != null && match.byEmail() != null
                    && !match.byExternalId().equals(match.byEmail())) {
                throw ContactIdentities.emailTaken(match.byEmail());
            }
            String target = match.target();
            if (target != null) {
                Aggregate<Contact> contact = contacts().load(target);
                long version = contact.invoke(c -> c.upsert(given, attributes, consent, reason, source, now,
                                                            identities));
                return new ContactWriteResult(target, version, false);
            }
            String id = Ids.newId();
            if (identities.reserve(id, given.externalId(), given.email())) {
                Map<Channel, Consent> initial = new EnumMap<>(Channel.class);
                if (consent != null) {
                    consent.forEach((channel, status) -> initial.put(channel, new Consent(status, now, reason, source)));
                }
                Aggregate<Contact> contact = contacts().newInstance(
                        () -> new Contact(id, given, attributes, initial, source));
                return new ContactWriteResult(id, contact.invoke(Contact::version), true);
            }
            if (attempt >= ATTEMPTS) {
                throw new ConcurrencyException("The contact's identity kept changing; retry");
            }
        }
    }

    /** Segment traits may nest objects ({@code address.city}); attributes are flat, so nested keys are joined by dots. */
    static Map<String, Object> flatten(Map<String, Object> traits) {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (traits != null) {
            flatten("", traits, flat, 0);
        }
        return flat;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, Object> out, int depth) {
        map.forEach((key, value) -> {
            String name = prefix + key;
            if (value instanceof Map<?, ?> nested && depth < 5) {
                flatten(name + ".", (Map<String, Object>) nested, out, depth + 1);
            } else if (value instanceof List<?> list && list.stream().anyMatch(i -> i instanceof Map || i instanceof List)) {
                out.put(name, list.stream().map(String::valueOf).toList());
            } else if (value instanceof Map<?, ?> tooDeep) {
                out.put(name, String.valueOf(tooDeep));
            } else {
                out.put(name, value);
            }
        });
    }

    private static Object firstOf(Map<String, Object> traits, String... keys) {
        Object found = null;
        for (String key : keys) {
            Object value = traits.remove(key);
            if (found == null) {
                found = value;
            }
        }
        return found;
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value);
        return text.isBlank() ? null : text.toLowerCase(Locale.ROOT).equals("null") ? null : text;
    }
}
