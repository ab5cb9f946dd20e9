package io.herald.command.contact;

import io.herald.api.common.DomainException;
import io.herald.api.contact.AttributeValues;
import io.herald.api.contact.ContactProfile;
import io.herald.api.tracking.EventTrackedEvent;
import io.herald.api.tracking.TrackEventsCommand;
import io.herald.api.tracking.TrackResult;
import io.herald.api.tracking.TrackedEventInput;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The ingestion API's write path. One command stores a whole request in one transaction: events
 * whose message id is stored already are answered as duplicates and stored nowhere (the event id
 * is derived from the message id, {@link TrackedEventIds}), unknown users
 * become contacts (when enabled), and every event is appended to the event store as an
 * {@link EventTrackedEvent} in one batch. Tracked events are not part of the contact's aggregate
 * stream (that would serialise every write on a contact and make loading it replay its whole
 * activity); they carry the contact id, and the tracked-events projection indexes them by contact.
 */
@Component
class TrackingCommandHandler {

    static final int MAX_NAME = 200;
    static final int MAX_PROPERTIES = 500;

    private final ObjectProvider<org.axonframework.config.Configuration> axon;
    private final AudienceMetrics metrics;

    TrackingCommandHandler(ObjectProvider<org.axonframework.config.Configuration> axon, AudienceMetrics metrics) {
        this.axon = axon;
        this.metrics = metrics;
    }

    private record Valid(int index, String messageId, boolean clientMessageId, String userId, String anonymousId,
                         String event, Map<String, Object> properties, Instant occurredAt, boolean late,
                         String correlationId) {
    }

    @CommandHandler
    TrackResult handle(TrackEventsCommand command, EventBus eventBus, ContactIdentities identities,
                       AnonymousIds anonymousIds, TrackedEventIds trackedEventIds, TrackingMessages messages,
                       ContactSettings settings, Clock clock)
            throws Exception {
        Instant now = clock.instant();
        List<Valid> events = new ArrayList<>(command.events().size());
        for (int i = 0; i < command.events().size(); i++) {
            events.add(validate(command.events().get(i), i, command.batchPath(), now, settings));
        }

        // a message id stored before, or earlier in this request, is a duplicate
        Map<String, String> eventIdOf = new LinkedHashMap<>(); // client message id -> its derived event id
        for (Valid e : events) {
            if (e.clientMessageId()) {
                eventIdOf.computeIfAbsent(e.messageId(), TrackedEventIds::of);
            }
        }
        trackedEventIds.lock(eventIdOf.values()); // a concurrent request storing one of these ids is waited for
        Set<String> stored = trackedEventIds.stored(eventIdOf.values());
        Set<String> claimedBefore = messages.claimed(eventIdOf.keySet());
        Set<String> used = new HashSet<>();
        List<Valid> accepted = new ArrayList<>();
        boolean[] duplicate = new boolean[events.size()];
        for (Valid e : events) {
            if (e.clientMessageId() && (stored.contains(eventIdOf.get(e.messageId()))
                    || claimedBefore.contains(e.messageId()) || !used.add(e.messageId()))) {
                duplicate[e.index()] = true;
            } else {
                accepted.add(e);
            }
        }

        Map<String, String> contactIds = resolveContacts(accepted, identities, settings);
        Map<String, String> visitors = resolveVisitors(accepted, contactIds, anonymousIds, command.source());

        MetaData correlation = CurrentUnitOfWork.correlationData();
        List<EventMessage<?>> messagesOut = new ArrayList<>(accepted.size());
        Map<Integer, String> contactOf = new HashMap<>();
        for (Valid e : accepted) {
            String contactId = e.userId() != null ? contactIds.get(e.userId())
                    : e.anonymousId() != null ? visitors.get(e.anonymousId()) : null;
            contactOf.put(e.index(), contactId);
            EventTrackedEvent payload = new EventTrackedEvent(e.messageId(), contactId, e.userId(), e.anonymousId(),
                                                              e.event(), e.properties(), e.occurredAt(), now, e.late(),
                                                              command.source());
            MetaData metaData = e.correlationId() == null ? correlation
                    : correlation.and(io.herald.api.common.MetadataKeys.CORRELATION_ID, e.correlationId());
            String eventId = e.clientMessageId() ? eventIdOf.get(e.messageId()) : Ids.newId();
            messagesOut.add(new GenericEventMessage<>(eventId, payload, metaData, now));
        }
        if (!messagesOut.isEmpty()) {
            eventBus.publish(messagesOut);
        }

        List<TrackResult.Outcome> outcomes = new ArrayList<>(events.size());
        for (Valid e : events) {
            outcomes.add(duplicate[e.index()]
                                 ? new TrackResult.Outcome(e.messageId(), TrackResult.Status.DUPLICATE, null, e.late())
                                 : new TrackResult.Outcome(e.messageId(), TrackResult.Status.ACCEPTED,
                                                           contactOf.get(e.index()), e.late()));
        }
        TrackResult result = new TrackResult(outcomes);
        metrics.tracked(result); // herald.tracking.events, once the transaction has committed
        return result;
    }

    /** Contact ids by user id; creates the unknown ones when enabled (otherwise their events stay unattributed). */
    private Map<String, String> resolveContacts(List<Valid> events, ContactIdentities identities,
                                                ContactSettings settings) throws Exception {
        Set<String> userIds = new LinkedHashSet<>();
        for (Valid e : events) {
            if (e.userId() != null) {
                userIds.add(e.userId());
            }
        }
        Map<String, String> found = new HashMap<>(identities.byExternalIds(userIds));
        if (!settings.createUnknownContacts() || found.size() == userIds.size()) {
            return found;
        }
        List<ContactIdentities.Claim> claims = new ArrayList<>();
        for (String userId : userIds) {
            if (!found.containsKey(userId)) {
                claims.add(new ContactIdentities.Claim(Ids.newUuid(), userId, null));
            }
        }
        Set<UUID> created = identities.reserveAll(claims);
        Repository<Contact> contacts = axon.getObject().repository(Contact.class);
        List<String> lost = new ArrayList<>();
        for (ContactIdentities.Claim claim : claims) {
            if (created.contains(claim.contactId())) {
                String id = claim.contactId().toString();
                ContactProfile profile = new ContactProfile(claim.externalId(), null, null, null, null);
                contacts.newInstance(() -> new Contact(id, profile, Map.of(), Map.of(), "track"));
                found.put(claim.externalId(), id);
            } else {
                lost.add(claim.externalId()); // created by a concurrent request
            }
        }
        found.putAll(identities.byExternalIds(lost));
        return found;
    }

    /**
     * Contact ids by anonymous id: the links made before, and new ones for events that carry both
     * ids (the visitor signed in). Events with only an anonymous id belong to its contact once linked.
     */
    private Map<String, String> resolveVisitors(List<Valid> events, Map<String, String> contactIds,
                                                AnonymousIds anonymousIds, String source) throws Exception {
        Set<String> ids = new LinkedHashSet<>();
        for (Valid e : events) {
            if (e.anonymousId() != null) {
                ids.add(e.anonymousId());
            }
        }
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, String> known = new HashMap<>(anonymousIds.contactsOf(ids));
        Map<String, String> wanted = new HashMap<>();
        for (Valid e : events) {
            String contactId = e.userId() == null ? null : contactIds.get(e.userId());
            if (e.anonymousId() != null && contactId != null && !known.containsKey(e.anonymousId())) {
                wanted.putIfAbsent(e.anonymousId(), contactId);
            }
        }
        known.putAll(anonymousIds.link(wanted, source, axon.getObject().repository(Contact.class)));
        return known;
    }

    private static Valid validate(TrackedEventInput input, int index, String batchPath, Instant now,
                                  ContactSettings settings) {
        String at = batchPath == null ? "" : batchPath + "[" + index + "].";
        if (input == null) {
            throw DomainException.invalid(at.isEmpty() ? "body" : batchPath + "[" + index + "]",
                                          "tracking.event.missing", "an event is required");
        }
        String event = input.event() == null ? null : input.event().strip();
        if (event == null || event.isEmpty() || event.length() > MAX_NAME) {
            throw DomainException.invalid(at + "event", "tracking.event.invalid",
                                          "event is required (1–" + MAX_NAME + " characters)");
        }
        String userId = blankToNull(input.userId());
        String anonymousId = blankToNull(input.anonymousId());
        if (userId == null && anonymousId == null) {
            throw DomainException.invalid(at + "userId", "tracking.user-id.missing",
                                          "userId or anonymousId is required");
        }
        if (userId != null) {
            userId = ContactRules.externalId(userId, at + "userId");
        }
        anonymousId = ContactRules.anonymousId(anonymousId, at + "anonymousId");
        String messageId = blankToNull(input.messageId());
        if (messageId != null && messageId.length() > MAX_NAME) {
            throw DomainException.invalid(at + "messageId", "tracking.message-id.invalid",
                                          "messageId is at most " + MAX_NAME + " characters");
        }
        Instant occurredAt = input.timestamp() == null ? now : input.timestamp();
        if (occurredAt.isAfter(now.plus(settings.maxFutureSkew()))) {
            throw DomainException.invalid(at + "timestamp", "tracking.timestamp.in-future",
                                          "timestamp is more than " + settings.maxFutureSkew().toSeconds()
                                                  + " s in the future");
        }
        boolean late = occurredAt.isBefore(now.minus(settings.lateAfter()));
        Map<String, Object> properties = properties(input.properties(), at + "properties");
        return new Valid(index, messageId != null ? messageId : UUID.randomUUID().toString(), messageId != null,
                         userId, anonymousId, event, properties, occurredAt, late, input.correlationId());
    }

    /** Properties are free JSON (Segment's may nest); top-level date strings get the canonical form segments compare. */
    private static Map<String, Object> properties(Map<String, Object> properties, String at) {
        if (properties == null || properties.isEmpty()) {
            return Map.of();
        }
        if (properties.size() > MAX_PROPERTIES) {
            throw DomainException.invalid(at, "tracking.properties.invalid",
                                          "at most " + MAX_PROPERTIES + " properties");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (value instanceof String s && s.length() > 10) {
                String date = AttributeValues.canonicalDate(s);
                out.put(key, date != null ? date : s);
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
