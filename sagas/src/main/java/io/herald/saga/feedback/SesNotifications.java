package io.herald.saga.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.eventstore.database.Json;
import io.herald.saga.channel.EmailHeaders;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SES notification inside an SNS message ({@code Message}): a {@code Bounce} or {@code Complaint} (SES's
 * notification format, {@code notificationType}, or its event publishing format, {@code eventType}), read into one
 * {@link FeedbackItem} per recipient. The delivery is found in the original headers ({@code mail.headers}:
 * {@code X-Herald-Delivery}, when the identity includes them) or in the original Message-ID
 * ({@code mail.commonHeaders.messageId}). Other notifications (deliveries, sends, opens) give nothing.
 */
final class SesNotifications {

    static final String PROVIDER = "ses";

    private SesNotifications() {
    }

    static List<FeedbackItem> read(String message) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(message);
        } catch (IOException e) {
            throw SnsMessages.malformed("The SNS message's Message is not an SES notification");
        }
        if (json == null || !json.isObject()) {
            throw SnsMessages.malformed("The SNS message's Message is not an SES notification");
        }
        String type = text(json.path("notificationType"));
        if (type == null) {
            type = text(json.path("eventType"));
        }
        if (!"Bounce".equals(type) && !"Complaint".equals(type)) {
            return List.of();
        }
        String deliveryId = deliveryOf(json.path("mail"));
        List<FeedbackItem> items = new ArrayList<>();
        if ("Bounce".equals(type)) {
            JsonNode bounce = json.path("bounce");
            String feedbackId = text(bounce.path("feedbackId"));
            String bounceType = text(bounce.path("bounceType"));
            String subType = text(bounce.path("bounceSubType"));
            if (feedbackId == null || bounceType == null || !bounce.path("bouncedRecipients").isArray()) {
                throw SnsMessages.malformed("An SES bounce needs feedbackId, bounceType and bouncedRecipients");
            }
            Instant at = instant(bounce.path("timestamp"));
            for (JsonNode recipient : bounce.path("bouncedRecipients")) {
                String address = text(recipient.path("emailAddress"));
                if (address == null) {
                    throw SnsMessages.malformed("An SES bounced recipient has no emailAddress");
                }
                String detail = text(recipient.path("diagnosticCode"));
                String status = text(recipient.path("status"));
                items.add(new FeedbackItem(PROVIDER, deliveryId, feedbackId + "/" + address.toLowerCase(),
                                           address, false, "Permanent".equals(bounceType),
                                           subType == null ? bounceType : bounceType + "/" + subType,
                                           detail != null ? detail : status, at));
            }
        } else {
            JsonNode complaint = json.path("complaint");
            String feedbackId = text(complaint.path("feedbackId"));
            if (feedbackId == null || !complaint.path("complainedRecipients").isArray()) {
                throw SnsMessages.malformed("An SES complaint needs feedbackId and complainedRecipients");
            }
            Instant at = instant(complaint.path("timestamp"));
            String kind = text(complaint.path("complaintFeedbackType"));
            for (JsonNode recipient : complaint.path("complainedRecipients")) {
                String address = text(recipient.path("emailAddress"));
                if (address == null) {
                    throw SnsMessages.malformed("An SES complained recipient has no emailAddress");
                }
                items.add(new FeedbackItem(PROVIDER, deliveryId, feedbackId + "/" + address.toLowerCase(),
                                           address, true, false, kind, null, at));
            }
        }
        return items;
    }

    /** The delivery named by the original headers or Message-ID, or null. */
    private static String deliveryOf(JsonNode mail) {
        for (JsonNode header : mail.path("headers")) {
            String name = text(header.path("name"));
            if (EmailHeaders.DELIVERY.equalsIgnoreCase(name)) {
                String id = EmailHeaders.normalized(text(header.path("value")));
                if (id != null) {
                    return id;
                }
            }
        }
        for (JsonNode header : mail.path("headers")) {
            if ("Message-ID".equalsIgnoreCase(text(header.path("name")))) {
                String id = EmailHeaders.deliveryOfMessageId(text(header.path("value")));
                if (id != null) {
                    return id;
                }
            }
        }
        return EmailHeaders.deliveryOfMessageId(text(mail.path("commonHeaders").path("messageId")));
    }

    static Instant instant(JsonNode value) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw SnsMessages.malformed("Not an ISO-8601 timestamp: " + text);
        }
    }

    static String text(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
