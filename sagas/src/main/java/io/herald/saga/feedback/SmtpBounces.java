package io.herald.saga.feedback;

import io.herald.api.feedback.EmailBouncedEvent;
import io.herald.saga.channel.EmailHeaders;
import io.herald.saga.channel.OutboundMessage;
import io.herald.saga.channel.SendResult;

import java.time.Instant;

/**
 * Hard bounces at send time: the SMTP server refused the recipient with a 5xx reply. Recorded as an
 * {@link EmailBouncedEvent} (provider {@code smtp}, hard) by the sender that got the reply, in the transaction that
 * records the delivery as failed, so they are counted and change consent like a provider's bounce.
 */
public final class SmtpBounces {

    public static final String PROVIDER = "smtp";

    private SmtpBounces() {
    }

    /** The bounce of a campaign's ({@code campaignId}) or flow send node's ({@code flowId}, {@code nodeId}) e-mail. */
    public static EmailBouncedEvent of(String campaignId, String flowId, String nodeId, String contactId,
                                       OutboundMessage message, SendResult result, Instant now) {
        String deliveryId = EmailHeaders.deliveryId(message);
        if (deliveryId == null) {
            deliveryId = message.idempotencyKey();
        }
        String detail = result.error();
        if (detail != null && detail.length() > FeedbackItem.MAX_DETAIL) {
            detail = detail.substring(0, FeedbackItem.MAX_DETAIL);
        }
        return new EmailBouncedEvent(deliveryId, contactId, campaignId, flowId, nodeId, PROVIDER, deliveryId,
                                     message.to(), true, "smtp-" + result.smtpCode(), detail, now);
    }
}
