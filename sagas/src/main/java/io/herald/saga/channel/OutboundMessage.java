package io.herald.saga.channel;

import java.util.Map;

/**
 * One rendered message for one recipient, ready for a channel.
 *
 * @param idempotencyKey  stable per campaign and contact ({@code <campaignId>:<contactId>}); providers that
 *                        support it deduplicate on it, webhooks receive it as {@code Idempotency-Key}
 * @param to              e-mail address, E.164 phone number, or webhook URL
 * @param subject         e-mail subject
 * @param text            plain-text body (e-mail, SMS)
 * @param html            HTML body (e-mail)
 * @param payload         JSON document (webhook)
 * @param unsubscribeUrl  per-recipient signed unsubscribe link (e-mail: {@code List-Unsubscribe})
 * @param metadata        extra headers or fields, e.g. campaign and contact ids
 */
public record OutboundMessage(String idempotencyKey, String to, String subject, String text, String html,
                              String payload, String unsubscribeUrl, Map<String, String> metadata) {

    public OutboundMessage {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
