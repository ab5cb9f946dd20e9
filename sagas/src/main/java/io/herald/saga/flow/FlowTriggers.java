package io.herald.saga.flow;

import io.herald.api.contact.ContactAttributesChangedEvent;
import io.herald.api.contact.ContactConsentChangedEvent;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactProfileChangedEvent;
import io.herald.api.contact.ContactsImportedEvent;
import io.herald.api.engagement.EmailOpenedEvent;
import io.herald.api.engagement.LinkClickedEvent;
import io.herald.api.flow.FlowStatus;
import io.herald.api.flow.FlowSummaryView;
import io.herald.api.flow.FlowTrigger;
import io.herald.api.flow.FlowVersionView;
import io.herald.api.segment.EventPropertiesMatchQuery;
import io.herald.api.segment.RuleMatchView;
import io.herald.api.tracking.EventTrackedEvent;
import io.herald.saga.SagaProcessing;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Event triggers (and, through {@link FlowRunEvents}, exit conditions and wait_for_event nodes): a tracked event of a contact whose name and property filters ({@code where}, the segment
 * operators) match the event trigger of an ACTIVE flow's latest version enters that contact, de-duplicated by
 * the trigger's key ({@link FlowEntries#enterOnEvent}). Events with only an anonymous id enter nothing. The
 * processor starts at the head of the event stream: events tracked before it first ran enter nothing. The
 * flows with event triggers are read again every {@link #REFRESH}, so a flow activated (or paused) takes (or
 * stops taking) events within that time.
 */
@Component
@ProcessingGroup(SagaProcessing.FLOW_TRIGGERS)
class FlowTriggers {

    private static final Logger log = LoggerFactory.getLogger(FlowTriggers.class);
    static final Duration REFRESH = Duration.ofSeconds(2);
    /** The longest de-duplication key stored as it is ({@code flow_run.dedup_key}). */
    static final int MAX_KEY = 300;

    private final FlowEntries entries;
    private final FlowRunStore store;
    private final FlowRunEvents runEvents;
    private final FlowDefinitions definitions;
    private final QueryGateway queries;
    private final Clock clock;

    private record Triggered(FlowVersionView version, FlowTrigger.Event trigger) {
    }

    private volatile List<Triggered> active = List.of();
    /** Whether an ACTIVE flow has a segment trigger: then contacts whose data changes are marked for checking. */
    private volatile boolean segmentTriggers;
    private volatile Instant readAt = Instant.EPOCH;

    FlowTriggers(FlowEntries entries, FlowRunStore store, FlowRunEvents runEvents, FlowDefinitions definitions,
                 QueryGateway queries, Clock clock) {
        this.entries = entries;
        this.store = store;
        this.runEvents = runEvents;
        this.definitions = definitions;
        this.queries = queries;
        this.clock = clock;
    }

    @EventHandler
    void on(EventTrackedEvent event) {
        if (event.contactId() == null || event.event() == null) {
            return;
        }
        // the contact's live runs first (exit conditions, waits for this event): the event does not count for a
        // run it starts
        runEvents.on(event);
        changed(event.contactId(), -1);
        for (Triggered flow : flows()) {
            FlowTrigger.Event trigger = flow.trigger();
            if (!event.event().equals(trigger.event())) {
                continue;
            }
            if (trigger.where() != null && !trigger.where().isEmpty()) {
                RuleMatchView match = FlowDefinitions.join(queries.query(
                        new EventPropertiesMatchQuery(event.properties(), trigger.where()),
                        ResponseTypes.instanceOf(RuleMatchView.class)));
                if (!match.matches()) {
                    continue;
                }
            }
            String keyName = trigger.effectiveDedupKey();
            Object keyValue = FlowTrigger.DEFAULT_DEDUP_KEY.equals(keyName) || event.properties() == null
                    ? null : event.properties().get(keyName);
            String dedupKey = storable(keyValue == null ? event.messageId() : keyValue.toString());
            String outcome = entries.enterOnEvent(flow.version(), event.contactId(), event.messageId(), event.event(),
                                                  dedupKey, event.properties());
            log.debug("Event {} of contact {}: {} flow {}", event.messageId(), event.contactId(), outcome,
                      flow.version().flowId());
        }
    }

    // --- contacts whose data changed: checked against segment triggers (FlowSegmentEntries) ---------------------

    @EventHandler
    void on(ContactCreatedEvent event, @SequenceNumber long sequence) {
        changed(event.contactId(), sequence);
    }

    @EventHandler
    void on(ContactsImportedEvent event) {
        flows();
        if (segmentTriggers && event.contacts() != null) {
            store.markChanged(event.contacts().stream().map(c -> UUID.fromString(c.contactId())).toList(), -1,
                              clock.instant());
        }
    }

    @EventHandler
    void on(ContactAttributesChangedEvent event, @SequenceNumber long sequence) {
        changed(event.contactId(), sequence);
    }

    @EventHandler
    void on(ContactProfileChangedEvent event, @SequenceNumber long sequence) {
        changed(event.contactId(), sequence);
    }

    @EventHandler
    void on(ContactConsentChangedEvent event, @SequenceNumber long sequence) {
        changed(event.contactId(), sequence);
    }

    /**
     * An open or a click can bring the contact into (or, under {@code not}, out of) a segment with an engagement
     * rule. The {@code email_engagement} row is written in the recording request's transaction, so it is there
     * before this processor sees the event; the contact read model has nothing to catch up on (-1).
     */
    @EventHandler
    void on(EmailOpenedEvent event) {
        changed(event.contactId(), -1);
    }

    @EventHandler
    void on(LinkClickedEvent event) {
        changed(event.contactId(), -1);
    }

    /** Marks the contact for the segment triggers' check, once the contact read model shows {@code version}. */
    private void changed(String contactId, long version) {
        flows();
        if (segmentTriggers && contactId != null) {
            store.markChanged(List.of(UUID.fromString(contactId)), version, clock.instant());
        }
    }

    /**
     * A de-duplication key as stored (at most {@value #MAX_KEY} characters): a longer one, which an event may carry in
     * any property, is replaced by its SHA-256, equal for equal keys, so it de-duplicates all the same.
     */
    static String storable(String key) {
        return key.length() <= MAX_KEY ? key : "sha256:" + FlowEntries.sha256Hex(key);
    }

    /** The ACTIVE flows whose latest version has an event trigger (read again every {@link #REFRESH}). */
    private List<Triggered> flows() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(REFRESH) < 0) {
            return active;
        }
        List<FlowSummaryView> flows = definitions.summaries();
        List<Triggered> found = new ArrayList<>();
        for (FlowSummaryView flow : flows) {
            if (flow.status() == FlowStatus.ACTIVE && flow.latestVersion() > 0
                    && flow.trigger() instanceof FlowTrigger.Event) {
                FlowVersionView version = definitions.version(UUID.fromString(flow.id()), flow.latestVersion());
                if (version != null && version.definition().trigger() instanceof FlowTrigger.Event trigger) {
                    found.add(new Triggered(version, trigger));
                }
            }
        }
        active = List.copyOf(found);
        segmentTriggers = flows.stream().anyMatch(flow -> flow.status() == FlowStatus.ACTIVE
                && flow.trigger() instanceof FlowTrigger.SegmentEntry);
        readAt = now;
        return active;
    }
}
