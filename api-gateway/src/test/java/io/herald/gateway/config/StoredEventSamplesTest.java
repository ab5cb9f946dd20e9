package io.herald.gateway.config;

import io.herald.api.campaign.CampaignCancelledEvent;
import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.CampaignCreatedEvent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.campaign.CampaignPausedEvent;
import io.herald.api.campaign.CampaignResumedEvent;
import io.herald.api.campaign.CampaignScheduledEvent;
import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CampaignUpdatedEvent;
import io.herald.api.campaign.Channel;
import io.herald.api.campaign.LaunchTrigger;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.flow.FlowActivatedEvent;
import io.herald.api.flow.FlowArchivedEvent;
import io.herald.api.flow.FlowCreatedEvent;
import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowDraftUpdatedEvent;
import io.herald.api.flow.FlowEntryPolicy;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowPausedEvent;
import io.herald.api.flow.FlowPublishedEvent;
import io.herald.api.flow.FlowResumedEvent;
import io.herald.api.flow.FlowStatus;
import io.herald.api.flow.FlowStoppedEvent;
import io.herald.api.flow.FlowTrigger;
import io.herald.api.segment.SegmentRule;
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
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events in the store outlive the code: each stored JSON sample (src/test/resources/event-samples,
 * one per event type and revision) must still read, through Herald's Axon serializer, into the event
 * it was written from. A change to an event that breaks this needs a new revision and an upcaster.
 */
class StoredEventSamplesTest {

    private static final String ID = "6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c11";
    private final Serializer serializer = SerializerConfiguration.heraldSerializer();

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of(new CampaignCreatedEvent(ID, new CampaignDefinition(
                        "Winter sale", Channel.EMAIL, CampaignContent.email("Hi {{ first_name }}", "Sale!", null), null, 50))),
                Arguments.of(new CampaignUpdatedEvent(ID, new CampaignDefinition(
                        "Winter sale v2", Channel.WEBHOOK,
                        CampaignContent.webhook("https://hooks.example.com/x", "{\"id\":\"{{ id }}\"}"), "seg-1", null))),
                Arguments.of(new CampaignScheduledEvent(ID, Instant.parse("2026-12-24T08:00:00Z"), ZoneId.of("Europe/Paris"),
                                                        Instant.parse("2026-12-23T08:00:00Z"))),
                Arguments.of(new CampaignLaunchedEvent(ID, Instant.parse("2026-12-24T08:00:00.123Z"), LaunchTrigger.SCHEDULE, null)),
                Arguments.of(new io.herald.api.campaign.CampaignDuplicatedEvent(
                        ID, "0b6d8e1a-2f1c-4c1e-9a57-3d3f5f0f4c99", "Daily digest 2026-12-07")),
                Arguments.of(new CampaignPausedEvent(ID, Instant.parse("2026-12-24T08:05:00Z"))),
                Arguments.of(new CampaignResumedEvent(ID, Instant.parse("2026-12-24T08:06:00Z"))),
                Arguments.of(new CampaignCancelledEvent(ID, CampaignStatus.PAUSED, "budget", Instant.parse("2026-12-24T08:07:00Z"))),
                Arguments.of(new CampaignCompletedEvent(ID, Instant.parse("2026-12-24T09:00:00Z"), null)),
                Arguments.of(new io.herald.api.campaign.CampaignFailedEvent(ID, CampaignStatus.RUNNING,
                        "channel-not-configured", "The email channel is not configured: no send can go out",
                        Instant.parse("2026-12-24T08:08:00Z"))),
                Arguments.of(new io.herald.api.campaign.CampaignAudienceFrozenEvent(
                        ID, 100_000, 1_250, "seg-1", 3, Instant.parse("2026-12-24T08:00:02.5Z"))),
                Arguments.of(new io.herald.api.delivery.DeliveryBatchRecordedEvent(
                        ID, "worker-1", Instant.parse("2026-12-24T08:00:03Z"), 1, 0, 1, 0, java.util.List.of(
                        new io.herald.api.delivery.DeliveryOutcome("0190d6a0-0000-7000-8000-000000000001",
                                io.herald.api.delivery.DeliveryStatus.SENT, null, 1, "SM1"),
                        new io.herald.api.delivery.DeliveryOutcome("0190d6a0-0000-7000-8000-000000000002",
                                io.herald.api.delivery.DeliveryStatus.SKIPPED, "unsubscribed", 0, null),
                        new io.herald.api.delivery.DeliveryOutcome("0190d6a0-0000-7000-8000-000000000003",
                                io.herald.api.delivery.DeliveryStatus.PENDING, "transient", 1, null)))),
                Arguments.of(new FlowCreatedEvent(ID, "Abandoned cart", cartFlow())),
                Arguments.of(new FlowDraftUpdatedEvent(ID, "Welcome", new FlowDefinition(
                        new FlowTrigger.SegmentEntry("6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c22"), null, null,
                        List.of(new FlowNode.Entry("start", "done"), new FlowNode.Exit("done"))))),
                Arguments.of(new FlowPublishedEvent(ID, 2, "Abandoned cart", cartFlow(), Instant.parse("2026-12-07T10:00:00Z"))),
                Arguments.of(new FlowActivatedEvent(ID, 2, Instant.parse("2026-12-07T10:01:00Z"))),
                Arguments.of(new FlowPausedEvent(ID, Instant.parse("2026-12-07T10:02:00Z"))),
                Arguments.of(new FlowResumedEvent(ID, Instant.parse("2026-12-07T10:03:00Z"))),
                Arguments.of(new FlowArchivedEvent(ID, FlowStatus.PAUSED, Instant.parse("2026-12-07T10:04:00Z"))),
                Arguments.of(new FlowStoppedEvent(ID, FlowStatus.ACTIVE, Instant.parse("2026-12-07T10:05:00Z"))),
                Arguments.of(new io.herald.api.flow.FlowRunsMovedEvent(ID, 1, 2, 1250, 3,
                                                                       Instant.parse("2026-12-07T10:06:00Z"))),
                Arguments.of(new io.herald.api.webhook.WebhookSubscriptionCreatedEvent(ID,
                        new io.herald.api.webhook.WebhookSubscriptionDefinition("https://hooks.example.com/herald",
                                List.of("contact.created", "campaign.failed"), "CRM sync", true, 0.25),
                        Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-07T10:00:00Z"))),
                Arguments.of(new io.herald.api.webhook.WebhookSubscriptionUpdatedEvent(ID,
                        new io.herald.api.webhook.WebhookSubscriptionDefinition("https://hooks.example.com/herald",
                                List.of("contact.created"), null, false, null), Instant.parse("2026-12-07T10:01:00Z"))),
                Arguments.of(new io.herald.api.webhook.WebhookSubscriptionDisabledEvent(ID,
                        "https://hooks.example.com/herald", "every attempt failed for 5 days or more",
                        Instant.parse("2026-12-07T10:02:00Z"))),
                Arguments.of(new io.herald.api.webhook.WebhookSubscriptionDeletedEvent(ID,
                        Instant.parse("2026-12-07T10:03:00Z"))),
                Arguments.of(new io.herald.api.engagement.EmailOpenedEvent(
                        ID + ":01900000-0000-7000-8000-000000000001", "01900000-0000-7000-8000-000000000001", ID, null,
                        null, Instant.parse("2026-12-24T08:00:00Z"), Instant.parse("2026-12-24T08:30:00.250Z"),
                        "image-proxy:google", true, true, "image-proxy")),
                Arguments.of(new io.herald.api.engagement.LinkClickedEvent(
                        "01900000-0000-7000-8000-000000000009:mail", "01900000-0000-7000-8000-000000000001", null, ID,
                        "mail", Instant.parse("2026-12-24T08:00:00Z"), "https://shop.example.com/sale?a=1&b=2", 1, 3,
                        Instant.parse("2026-12-24T08:31:00Z"), "browser", true, false, null)),
                Arguments.of(new io.herald.api.feedback.EmailBouncedEvent(
                        ID + ":01900000-0000-7000-8000-000000000001", "01900000-0000-7000-8000-000000000001", ID, null,
                        null, "ses", "0100018c-fb/ann@example.com", "ann@example.com", true, "Permanent/General",
                        "smtp; 550 5.1.1 user unknown", Instant.parse("2026-12-24T08:05:00.500Z"))),
                Arguments.of(new io.herald.api.feedback.EmailComplainedEvent(
                        "01900000-0000-7000-8000-000000000009:mail", "01900000-0000-7000-8000-000000000001", null, ID,
                        "mail", "mailgun", "mg-event-1", "ann@example.com", "complained",
                        Instant.parse("2026-12-24T09:00:00Z"))));
    }

    /** A flow definition with every kind of node and a full entry policy, as the flow samples store it. */
    private static FlowDefinition cartFlow() {
        return new FlowDefinition(
                new FlowTrigger.Event("Cart Abandoned", List.of(new SegmentRule.PropertyFilter("total", "gt", 20)), "cartId"),
                new FlowEntryPolicy(FlowEntryPolicy.Concurrency.PER_DEDUP_KEY, FlowEntryPolicy.ReEntry.AFTER_DAYS, 7,
                                    List.of(new FlowEntryPolicy.ExitCondition("Unsubscribed", null))),
                "Europe/Paris",
                List.of(new FlowNode.Entry("start", "wait"),
                        new FlowNode.Wait("wait", "PT1H", null, null, null, null, "order"),
                        new FlowNode.WaitForEvent("order", "Order Completed", List.of(), "cartId", "PT23H", "done", "mail"),
                        new FlowNode.Send("mail", Channel.EMAIL, CampaignContent.email("Your cart", "Hi {{ trigger.cartId }}", null),
                                          false, "split"),
                        new FlowNode.Split("split", List.of(new FlowNode.SplitPath("A", 50, "vip"),
                                                            new FlowNode.SplitPath("B", 50, "hook"))),
                        new FlowNode.Branch("vip", SegmentRule.attribute("plan", "eq", "pro"), "tag", "done"),
                        new FlowNode.Webhook("hook", "https://hooks.example.com/cart", "{\"cart\":\"{{ trigger.cartId }}\"}", "done"),
                        new FlowNode.UpdateContact("tag", Map.of("reminded", true), List.of("cart"),
                                                   List.of(new FlowNode.ConsentChange(Channel.SMS, ConsentStatus.SUBSCRIBED)),
                                                   "morning"),
                        new FlowNode.Wait("morning", null, "09:00", List.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), null, null,
                                          "done"),
                        new FlowNode.Exit("done")));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void storedSample_stillReadsIntoTheEvent(Object expected) throws IOException {
        String revision = expected.getClass().getAnnotation(Revision.class).value();
        String name = "/event-samples/" + expected.getClass().getSimpleName() + "-" + revision + ".json";
        String json;
        try (InputStream in = getClass().getResourceAsStream(name)) {
            assertThat(in).as("sample %s", name).isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        SerializedObject<byte[]> stored = new SimpleSerializedObject<>(
                json.getBytes(StandardCharsets.UTF_8), byte[].class,
                new SimpleSerializedType(expected.getClass().getName(), revision));
        Object read = serializer.deserialize(stored);
        assertThat(read).isEqualTo(expected);

        SerializedObject<byte[]> written = serializer.serialize(expected, byte[].class);
        assertThat(written.getType().getRevision()).isEqualTo(revision);
        assertThat(serializer.<byte[], Object>deserialize(written)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aLaunch_carriesWhatItSends_andALaunchStoredWithoutIt_readsWithNone() throws IOException {
        CampaignLaunchedEvent launched = new CampaignLaunchedEvent(ID, Instant.parse("2026-12-24T08:00:00.123Z"),
                LaunchTrigger.MANUAL, new CampaignDefinition("Winter sale", Channel.WEBHOOK,
                CampaignContent.webhook("https://hooks.example.com/x", "{\"id\":\"{{ id }}\"}"), "seg-1", 200));
        SerializedObject<byte[]> written = serializer.serialize(launched, byte[].class);
        assertThat(serializer.<byte[], Object>deserialize(written)).isEqualTo(launched);
        // the sample of before (no definition in its JSON) is the parameterized case above: it reads with null
    }

    @org.junit.jupiter.api.Test
    void aCampaignsTrackingSwitches_areKept_andContentStoredWithoutThem_readsWithNone_tracked() {
        CampaignCreatedEvent created = new CampaignCreatedEvent(ID, new CampaignDefinition("Quiet", Channel.EMAIL,
                new CampaignContent("Hi", "Text", "<p>x</p>", null, null, false, true), "seg-1", null));
        SerializedObject<byte[]> written = serializer.serialize(created, byte[].class);
        CampaignCreatedEvent read = serializer.deserialize(written);
        assertThat(read).isEqualTo(created);
        assertThat(read.definition().content().opensTracked()).isFalse();
        assertThat(read.definition().content().clicksTracked()).isTrue();
        // the sample of before (no trackOpens, no trackClicks) is the parameterized case above: both read as null
        assertThat(CampaignContent.email("Hi", "Sale!", null).opensTracked()).isTrue();
        assertThat(CampaignContent.email("Hi", "Sale!", null).clicksTracked()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void aCopysCreation_carriesItsSourceAndTheTemplateFlag_andCreationsStoredWithoutThem_readWithNone() {
        CampaignCreatedEvent copy = new CampaignCreatedEvent(ID, new CampaignDefinition("Digest", Channel.EMAIL,
                CampaignContent.email("Today", "News", null), "seg-1", null, true, true), "source-id");
        SerializedObject<byte[]> written = serializer.serialize(copy, byte[].class);
        assertThat(serializer.<byte[], Object>deserialize(written)).isEqualTo(copy);
        // the sample of before (no copiedFrom, no template) is the parameterized case above: both read as null
    }
}
