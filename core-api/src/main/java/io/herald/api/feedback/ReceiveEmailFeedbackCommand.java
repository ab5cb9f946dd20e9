package io.herald.api.feedback;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A provider's event webhook was called ({@code POST /feedback/ses}, {@code POST /feedback/mailgun}): the body is
 * verified (the provider's signature is the authorization) and its bounces and complaints recorded as
 * {@link EmailBouncedEvent} / {@link EmailComplainedEvent}. Answered with an {@link EmailFeedbackReceived}; refused
 * with {@code feedback.signature-invalid} (401), {@code feedback.sender-not-allowed} (403),
 * {@code feedback.malformed} (400) or {@code feedback.provider-not-configured} (404).
 *
 * @param provider which provider's format and signature
 * @param body     the request body as received (the signature covers it, byte for byte for SNS)
 */
public record ReceiveEmailFeedbackCommand(@NotNull Provider provider, @NotNull @Size(max = 262_144) String body) {

    public enum Provider {
        /** Amazon SES through an SNS topic's HTTP(S) subscription. */
        SES,
        /** Mailgun's event webhooks (HMAC-SHA256 signature with the webhook signing key). */
        MAILGUN
    }

    public static final String SIGNATURE_INVALID = "feedback.signature-invalid";
    public static final String SENDER_NOT_ALLOWED = "feedback.sender-not-allowed";
    public static final String MALFORMED = "feedback.malformed";
    public static final String PROVIDER_NOT_CONFIGURED = "feedback.provider-not-configured";
}
