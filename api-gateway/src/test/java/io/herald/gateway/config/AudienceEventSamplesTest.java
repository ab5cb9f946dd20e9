package io.herald.gateway.config;

import io.herald.api.campaign.Channel;
import io.herald.api.contact.Consent;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.contact.ContactAnonymousIdLinkedEvent;
import io.herald.api.contact.ContactAttributesChangedEvent;
import io.herald.api.contact.ContactConsentChangedEvent;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactImportBatchProcessedEvent;
import io.herald.api.contact.ContactImportCompletedEvent;
import io.herald.api.contact.ContactImportFailedEvent;
import io.herald.api.contact.ContactImportMapping;
import io.herald.api.contact.ContactImportStartedEvent;
import io.herald.api.contact.ContactProfile;
import io.herald.api.contact.ContactProfileChangedEvent;
import io.herald.api.contact.ContactsImportedEvent;
import io.herald.api.contact.AttributeType;
import io.herald.api.contact.ImportMode;
import io.herald.api.contact.RejectedRow;
import io.herald.api.segment.SegmentCreatedEvent;
import io.herald.api.segment.SegmentDefinition;
import io.herald.api.segment.SegmentDeletedEvent;
import io.herald.api.segment.SegmentRule;
import io.herald.api.segment.SegmentUpdatedEvent;
import io.herald.api.tracking.EventTrackedEvent;
import io.herald.eventstore.serialization.SerializerConfiguration;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored JSON samples of the audience events (one per type and revision) must keep reading into
 * the event they were written from; a change that breaks one needs a new revision and an upcaster.
 * {@code HERALD_WRITE_EVENT_SAMPLES=true} writes missing samples (once, when an event is added).
 */
class AudienceEventSamplesTest {

    private static final String C = "01900000-0000-7000-8000-000000000001";
    private static final String S = "6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c22";
    private static final Instant AT = Instant.parse("2026-05-01T08:00:00Z");
    private final Serializer serializer = SerializerConfiguration.heraldSerializer();

    static Stream<Arguments> samples() {
        ContactProfile profile = new ContactProfile("u-1", "ada@example.com", "+33612345678", "Europe/Paris", "fr-FR");
        SegmentDefinition segment = new SegmentDefinition("Pros", "paying", SegmentRule.and(
                SegmentRule.attribute("plan", "eq", "pro"),
                SegmentRule.behaviour("Purchase", "at_least", 2, 30,
                                      List.of(new SegmentRule.PropertyFilter("amount", "gt", 100))),
                SegmentRule.consent(Channel.EMAIL, ConsentStatus.SUBSCRIBED)));
        ContactImportMapping mapping = new ContactImportMapping("Email", "User ID", null, null, null,
                List.of(new ContactImportMapping.AttributeColumn("Age", "age", AttributeType.NUMBER)));
        return Stream.of(
                Arguments.of(new ContactCreatedEvent(C, profile, Map.of("plan", "pro", "tags", List.of("a", "b")),
                                                     Map.of(Channel.EMAIL, new Consent(ConsentStatus.SUBSCRIBED, AT, "form", "api")),
                                                     "api")),
                Arguments.of(new ContactProfileChangedEvent(C, profile, List.of("email"), "api")),
                Arguments.of(new ContactAttributesChangedEvent(C, Map.of("seats", 5), List.of("gone"), "import:x")),
                Arguments.of(new ContactConsentChangedEvent(C, Channel.SMS, new Consent(ConsentStatus.BOUNCED, AT, "550", "sms"),
                                                            ConsentStatus.SUBSCRIBED)),
                Arguments.of(new ContactAnonymousIdLinkedEvent(C, "anon-7f3a", "identify")),
                Arguments.of(new EventTrackedEvent("m-1", C, "u-1", null, "Purchase", Map.of("amount", 12),
                                                   AT, AT.plusSeconds(1), false, "api")),
                Arguments.of(new ContactImportStartedEvent(S, "contacts.csv", "/data/imports/x.csv", 1234,
                                                           List.of("Email", "User ID", "Age"), mapping, ImportMode.UPSERT)),
                Arguments.of(new ContactImportBatchProcessedEvent(S, 0, 1001, 1000, 990, 5, 5,
                                                                  List.of(new RejectedRow(7, "contact.email.invalid", "bad")))),
                Arguments.of(new ContactsImportedEvent(S, 3, List.of(
                        new ContactsImportedEvent.ImportedContact(C, profile, Map.of("plan", "pro", "age", 42)),
                        new ContactsImportedEvent.ImportedContact("01900000-0000-7000-8000-000000000002",
                                                                  new ContactProfile(null, "bo@example.com", null, null, null),
                                                                  Map.of())))),
                Arguments.of(new ContactImportCompletedEvent(S, 1000, 990, 5, 5)),
                Arguments.of(new ContactImportFailedEvent(S, "file gone", 1000, 990, 5, 5)),
                Arguments.of(new SegmentCreatedEvent(S, segment)),
                Arguments.of(new SegmentUpdatedEvent(S, segment)),
                Arguments.of(new SegmentDeletedEvent(S)));
    }

    /**
     * A segment definition with an engagement node (added to the rule tree after the first samples were written)
     * as the event serializer stores it: it keeps reading into the same tree.
     */
    @org.junit.jupiter.api.Test
    void storedSegmentWithAnEngagementNode_stillReads() throws IOException {
        SegmentCreatedEvent expected = new SegmentCreatedEvent(S, new SegmentDefinition("Openers", null, SegmentRule.and(
                SegmentRule.engagement(io.herald.api.segment.EngagementAction.OPENED,
                                       "0e5f6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b", 30, null),
                SegmentRule.not(SegmentRule.engagement(io.herald.api.segment.EngagementAction.CLICKED, null, null,
                                                       true)))));
        String name = "/event-samples/SegmentCreatedEvent-1-engagement.json";
        InputStream in = getClass().getResourceAsStream(name);
        if (in == null && "true".equals(System.getenv("HERALD_WRITE_EVENT_SAMPLES"))) {
            Files.write(Path.of("src/test/resources" + name), serializer.serialize(expected, byte[].class).getData());
            return;
        }
        assertThat(in).as("sample %s", name).isNotNull();
        String json;
        try (in) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        assertThat(json).contains("\"type\":\"engagement\"").contains("\"action\":\"opened\"");
        Object read = serializer.deserialize(new SimpleSerializedObject<>(
                json.getBytes(StandardCharsets.UTF_8), byte[].class,
                new SimpleSerializedType(SegmentCreatedEvent.class.getName(), "1")));
        assertThat(read).usingRecursiveComparison().isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void storedSample_stillReadsIntoTheEvent(Object expected) throws IOException {
        String revision = expected.getClass().getAnnotation(Revision.class).value();
        String name = "/event-samples/" + expected.getClass().getSimpleName() + "-" + revision + ".json";
        InputStream in = getClass().getResourceAsStream(name);
        if (in == null && "true".equals(System.getenv("HERALD_WRITE_EVENT_SAMPLES"))) {
            Files.write(Path.of("src/test/resources" + name), serializer.serialize(expected, byte[].class).getData());
            return;
        }
        assertThat(in).as("sample %s", name).isNotNull();
        String json;
        try (in) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        SerializedObject<byte[]> stored = new SimpleSerializedObject<>(
                json.getBytes(StandardCharsets.UTF_8), byte[].class,
                new SimpleSerializedType(expected.getClass().getName(), revision));
        Object read = serializer.deserialize(stored);
        assertThat(read).usingRecursiveComparison().isEqualTo(expected);
    }
}
