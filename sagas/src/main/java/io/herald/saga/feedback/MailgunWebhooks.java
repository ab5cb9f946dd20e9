package io.herald.saga.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.eventstore.database.Json;
import io.herald.saga.channel.EmailHeaders;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static io.herald.saga.feedback.SesNotifications.text;

/**
 * Mailgun's event webhooks: {@code {"signature": {"timestamp", "token", "signature"}, "event-data": {...}}}. The
 * signature is the hex HMAC-SHA256 of {@code timestamp + token} with the account's webhook signing key, compared in
 * constant time; a timestamp further than the accepted age from now is refused (replays of the same token are
 * refused by {@link EmailFeedbackHandler}, which remembers tokens). {@code failed} events are bounces (severity
 * {@code permanent}: hard, {@code temporary}: soft), {@code complained} events complaints; other events give
 * nothing. The delivery is found in {@code user-variables.herald-delivery} or Herald's Message-ID
 * ({@code message.headers.message-id}).
 */
final class MailgunWebhooks {

    static final String PROVIDER = "mailgun";

    /** A verified webhook call. */
    record Verified(String token, String eventId, List<FeedbackItem> items) {
    }

    private final byte[] key;
    private final Duration maxAge;

    MailgunWebhooks(String signingKey, Duration maxAge) {
        this.key = signingKey.getBytes(StandardCharsets.UTF_8);
        this.maxAge = maxAge;
    }

    Verified verify(String body, Instant now) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw SnsMessages.malformed("The body is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw SnsMessages.malformed("The body is not a Mailgun webhook");
        }
        JsonNode signature = json.path("signature");
        String timestamp = text(signature.path("timestamp"));
        String token = text(signature.path("token"));
        String hex = text(signature.path("signature"));
        if (timestamp == null || token == null || hex == null) {
            throw SnsMessages.unsigned("The Mailgun webhook is not signed");
        }
        if (token.length() > 200 || !timestamp.matches("[0-9]{1,12}")) {
            throw SnsMessages.unsigned("The Mailgun signature's timestamp or token is not valid");
        }
        byte[] expected = hmac(timestamp + token);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.toLowerCase());
        } catch (IllegalArgumentException e) {
            throw SnsMessages.unsigned("The Mailgun signature is not hex");
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw SnsMessages.unsigned("The Mailgun signature does not match");
        }
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(signedAt, now).abs().compareTo(maxAge) > 0) {
            throw SnsMessages.unsigned("The Mailgun signature is too old (or from the future): " + signedAt);
        }
        JsonNode data = json.path("event-data");
        String eventId = text(data.path("id"));
        String event = text(data.path("event"));
        if (!data.isObject() || eventId == null || event == null) {
            throw SnsMessages.malformed("A Mailgun webhook needs event-data with id and event");
        }
        return new Verified(token, eventId, items(data, eventId, event));
    }

    private static List<FeedbackItem> items(JsonNode data, String eventId, String event) {
        boolean bounce = "failed".equals(event) || "bounced".equals(event);
        boolean complaint = "complained".equals(event);
        if (!bounce && !complaint) {
            return List.of();
        }
        String recipient = text(data.path("recipient"));
        if (recipient == null) {
            throw SnsMessages.malformed("A Mailgun " + event + " event has no recipient");
        }
        String deliveryId = EmailHeaders.normalized(text(data.path("user-variables").path("herald-delivery")));
        if (deliveryId == null) {
            deliveryId = EmailHeaders.deliveryOfMessageId(text(data.path("message").path("headers").path("message-id")));
        }
        Instant at = null;
        JsonNode timestamp = data.path("timestamp");
        if (timestamp.isNumber()) {
            BigDecimal seconds = timestamp.decimalValue();
            at = Instant.ofEpochSecond(seconds.longValue(),
                                       seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        if (complaint) {
            return List.of(new FeedbackItem(PROVIDER, deliveryId, eventId, recipient, true, false, "complained",
                                            null, at));
        }
        String severity = text(data.path("severity"));
        boolean hard = "bounced".equals(event) || "permanent".equals(severity);
        JsonNode status = data.path("delivery-status");
        String code = text(status.path("code"));
        String message = text(status.path("message"));
        if (message == null || message.isBlank()) {
            message = text(status.path("description"));
        }
        String reason = text(data.path("reason"));
        String type = (severity == null ? "failed" : severity) + (reason == null ? "" : "/" + reason);
        String detail = code == null ? message : code + (message == null ? "" : " " + message);
        return List.of(new FeedbackItem(PROVIDER, deliveryId, eventId, recipient, false, hard, type, detail, at));
    }

    private byte[] hmac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
