package io.herald.saga.webhook;

import io.herald.api.campaign.Channel;
import io.herald.api.contact.Consent;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.contact.ContactConsentChangedEvent;
import io.herald.api.contact.ContactProfile;
import io.herald.api.contact.ContactsImportedEvent;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.api.delivery.DeliveryOutcome;
import io.herald.api.delivery.DeliveryStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What domain events mean to webhook receivers. */
class WebhookEventsTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:15:42.5Z");

    @Test
    void finalFailuresOfABatch_makeOneDeliveryFailed_keyedByCampaignAndMinute_dueWhenTheMinuteEnds() {
        DeliveryBatchRecordedEvent batch = new DeliveryBatchRecordedEvent("camp-1", "w", AT, 1, 2, 0, 0, List.of(
                new DeliveryOutcome("c1", DeliveryStatus.SENT, null, 1, "x"),
                new DeliveryOutcome("c2", DeliveryStatus.FAILED, "http-400", 1, null),
                new DeliveryOutcome("c3", DeliveryStatus.PENDING, "transient", 1, null),
                new DeliveryOutcome("c4", DeliveryStatus.FAILED, "http-410", 2, null)));
        List<WebhookEvents.Outgoing> out = WebhookEvents.of(batch, "ev-1", AT);
        assertThat(out).hasSize(1);
        WebhookEvents.Outgoing message = out.get(0);
        assertThat(message.type()).isEqualTo("delivery.failed");
        assertThat(message.batchKey()).isEqualTo("camp-1:2026-12-07T10:15:00Z");
        assertThat(message.sourceKey()).isNull();
        assertThat(message.dueAt()).isEqualTo(Instant.parse("2026-12-07T10:16:00Z"));
        assertThat(message.data()).containsEntry("count", 2).containsEntry("minute", "2026-12-07T10:15:00Z");
        assertThat((List<?>) message.data().get("failures")).hasSize(2);

        DeliveryBatchRecordedEvent allSent = new DeliveryBatchRecordedEvent("camp-1", "w", AT, 1, 0, 0, 0,
                List.of(new DeliveryOutcome("c1", DeliveryStatus.SENT, null, 1, "x")));
        assertThat(WebhookEvents.of(allSent, "ev-2", AT)).isEmpty();
    }

    @Test
    void aFailedCampaign_makesOneCampaignFailed_keyedByTheCampaign_withItsReasonAndDetail() {
        var failed = new io.herald.api.campaign.CampaignFailedEvent("camp-9",
                io.herald.api.campaign.CampaignStatus.RUNNING, "segment-deleted", "Segment s-1 no longer exists", AT);
        List<WebhookEvents.Outgoing> out = WebhookEvents.of(failed, "ev-9", AT);
        assertThat(out).hasSize(1);
        WebhookEvents.Outgoing message = out.get(0);
        assertThat(message.type()).isEqualTo("campaign.failed");
        // the same key as the failure-rate and all-sends-failed messages of the campaign: one per subscription
        assertThat(message.sourceKey()).isEqualTo("campaign-failed:camp-9");
        assertThat(message.batchKey()).isNull();
        assertThat(message.dueAt()).isEqualTo(AT);
        assertThat(message.data()).containsEntry("campaignId", "camp-9").containsEntry("reason", "segment-deleted")
                .containsEntry("detail", "Segment s-1 no longer exists").containsEntry("failureRate", null)
                .containsEntry("finished", 0).containsEntry("failed", 0);
    }

    @Test
    void anImportBatch_makesOneContactCreatedPerContact_eachKeyedOnItsOwn() {
        ContactsImportedEvent imported = new ContactsImportedEvent("imp-1", 3, List.of(
                new ContactsImportedEvent.ImportedContact("c1", new ContactProfile(null, "a@example.com", null, null, null),
                                                          Map.of("plan", "pro")),
                new ContactsImportedEvent.ImportedContact("c2", new ContactProfile("u-2", null, null, null, null), null)));
        List<WebhookEvents.Outgoing> out = WebhookEvents.of(imported, "ev-3", AT);
        assertThat(out).extracting(WebhookEvents.Outgoing::type).containsOnly("contact.created");
        assertThat(out).extracting(WebhookEvents.Outgoing::sourceKey).containsExactly("ev-3:c1", "ev-3:c2");
        assertThat(out.get(0).data()).containsEntry("email", "a@example.com").containsEntry("source", "import:imp-1");
    }

    @Test
    void consent_isAnUnsubscribeOnlyWhenItStopsTheChannel() {
        Consent unsubscribed = new Consent(ConsentStatus.UNSUBSCRIBED, AT, "link", "unsubscribe-link");
        assertThat(WebhookEvents.of(new ContactConsentChangedEvent("c1", Channel.EMAIL, unsubscribed, null), "e", AT))
                .extracting(WebhookEvents.Outgoing::type).containsExactly("contact.unsubscribed");
        Consent subscribed = new Consent(ConsentStatus.SUBSCRIBED, AT, null, "api");
        assertThat(WebhookEvents.of(new ContactConsentChangedEvent("c1", Channel.EMAIL, subscribed,
                                                                  ConsentStatus.UNSUBSCRIBED), "e", AT)).isEmpty();
    }

    @Test
    void eventsOutsideTheCatalogue_makeNothing() {
        assertThat(WebhookEvents.of("a string payload", "e", AT)).isEmpty();
    }
}
