package io.herald.saga.feedback;

import io.herald.api.common.DomainException;
import io.herald.api.feedback.ReceiveEmailFeedbackCommand;
import io.herald.saga.channel.EmailHeaders;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SesNotificationsTest {

    static final String DELIVERY = "0b5c9a57-7c9f-4a4e-8d64-1e4c2c1f0a11:6f1d2c3b-aaaa-4bbb-8ccc-123456789abc";

    static String bounce(String type, String headers, String commonMessageId) {
        return "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"" + type + "\",\"bounceSubType\":"
                + "\"General\",\"bouncedRecipients\":[{\"emailAddress\":\"Ann@example.com\",\"status\":\"5.1.1\","
                + "\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"}],\"timestamp\":\"2026-12-08T00:10:00.000Z\","
                + "\"feedbackId\":\"0100018c-fb\"},\"mail\":{\"messageId\":\"ses-id-1\",\"headers\":[" + headers
                + "],\"commonHeaders\":{\"messageId\":\"" + commonMessageId + "\"}}}";
    }

    @Test
    void aPermanentBounce_isHard_andNamesItsDelivery_byTheHeraldHeader() {
        List<FeedbackItem> items = SesNotifications.read(bounce("Permanent",
                "{\"name\":\"X-Herald-Delivery\",\"value\":\"" + DELIVERY + "\"}", "<ses-rewritten@email.amazonses.com>"));
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.deliveryId()).isEqualTo(DELIVERY);
            assertThat(item.hard()).isTrue();
            assertThat(item.complaint()).isFalse();
            assertThat(item.feedbackId()).isEqualTo("0100018c-fb/ann@example.com");
            assertThat(item.type()).isEqualTo("Permanent/General");
            assertThat(item.detail()).isEqualTo("smtp; 550 5.1.1 user unknown");
            assertThat(item.at()).isEqualTo(Instant.parse("2026-12-08T00:10:00Z"));
        });
    }

    @Test
    void aTransientBounce_isSoft_andTheMessageId_namesTheDelivery_withoutHeaders() {
        String messageId = EmailHeaders.messageId(DELIVERY, "herald.example.com");
        FeedbackItem item = SesNotifications.read(bounce("Transient", "", messageId)).get(0);
        assertThat(item.hard()).isFalse();
        assertThat(item.deliveryId()).isEqualTo(DELIVERY);
        assertThat(SesNotifications.read(bounce("Undetermined", "", "<x@y>")).get(0).hard()).isFalse();
        assertThat(SesNotifications.read(bounce("Permanent", "", "<someone-else@y>")).get(0).deliveryId()).isNull();
    }

    @Test
    void aComplaint_andTheEventPublishingFormat() {
        String complaint = "{\"eventType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":"
                + "\"ann@example.com\"}],\"timestamp\":\"2026-12-08T00:11:00Z\",\"feedbackId\":\"fb-2\","
                + "\"complaintFeedbackType\":\"abuse\"},\"mail\":{\"headers\":[{\"name\":\"x-herald-delivery\","
                + "\"value\":\"" + DELIVERY + "\"}]}}";
        FeedbackItem item = SesNotifications.read(complaint).get(0);
        assertThat(item.complaint()).isTrue();
        assertThat(item.type()).isEqualTo("abuse");
        assertThat(item.deliveryId()).isEqualTo(DELIVERY);
    }

    @Test
    void otherNotifications_giveNothing_andBrokenOnes_are400() {
        assertThat(SesNotifications.read("{\"notificationType\":\"Delivery\",\"mail\":{}}")).isEmpty();
        for (String broken : List.of("not json", "{\"notificationType\":\"Bounce\",\"bounce\":{}}",
                                     "{\"notificationType\":\"Complaint\"}",
                                     bounce("Permanent", "", "x").replace("\"emailAddress\":\"Ann@example.com\",", ""))) {
            assertThatThrownBy(() -> SesNotifications.read(broken)).isInstanceOfSatisfying(DomainException.class,
                    e -> assertThat(e.code()).isEqualTo(ReceiveEmailFeedbackCommand.MALFORMED));
        }
    }

    @Test
    void messageIds_roundTrip_andForeignOnes_nameNothing() {
        String flowDelivery = "9d5c9a57-7c9f-4a4e-8d64-1e4c2c1f0a11:send_1";
        assertThat(EmailHeaders.deliveryOfMessageId(EmailHeaders.messageId(flowDelivery, "h.example")))
                .isEqualTo(flowDelivery);
        assertThat(EmailHeaders.deliveryOfMessageId("9d5c9a57-7c9f-4a4e-8d64-1e4c2c1f0a11.send_1@h.example"))
                .isEqualTo(flowDelivery);
        assertThat(EmailHeaders.deliveryOfMessageId("<1234.5678@mail.example>")).isNull();
        assertThat(EmailHeaders.deliveryOfMessageId(null)).isNull();
        assertThat(EmailHeaders.normalized("not-a-delivery")).isNull();
        assertThat(EmailHeaders.domainOf("Herald <news@Herald.Example.com>".replaceAll(".*<|>", "")))
                .isEqualTo("herald.example.com");
    }
}
