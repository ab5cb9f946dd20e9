package io.herald.api.feedback;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An e-mail Herald sent bounced. A hard bounce (the address does not exist or refuses mail for good, including an
 * SMTP 5xx answer at send time) sets the contact's e-mail consent to {@code BOUNCED}; a soft one (mailbox full,
 * temporarily refused) is only recorded.
 *
 * @param recipient  the address that bounced
 * @param hard       permanent (consent changes) or transient
 * @param bounceType the provider's classification ({@code Permanent/General}, {@code smtp-550}, ...)
 * @param detail     the diagnostic the provider gave (an SMTP reply, shortened), may be null
 * @param bouncedAt  when the provider saw the bounce
 */
@Revision("1")
public record EmailBouncedEvent(String deliveryId, String contactId, String campaignId, String flowId,
                                String flowNodeId, String provider, String feedbackId, String recipient,
                                boolean hard, String bounceType, String detail, Instant bouncedAt)
        implements EmailFeedbackEvent {
}
