package io.herald.api.feedback;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The recipient of an e-mail Herald sent reported it as spam (a feedback loop report through the provider). Sets the
 * contact's e-mail consent to {@code COMPLAINED}.
 *
 * @param complaintType the provider's classification ({@code abuse}, ...), may be null
 * @param complainedAt  when the complaint was made (or received by the provider)
 */
@Revision("1")
public record EmailComplainedEvent(String deliveryId, String contactId, String campaignId, String flowId,
                                   String flowNodeId, String provider, String feedbackId, String recipient,
                                   String complaintType, Instant complainedAt) implements EmailFeedbackEvent {
}
