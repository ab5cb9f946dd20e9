package io.herald.api.feedback;

/**
 * What the receiving side said about an e-mail Herald sent: it bounced ({@link EmailBouncedEvent}) or the recipient
 * marked it as spam ({@link EmailComplainedEvent}). Feedback on a delivery, never a delivery status: a run's
 * {@code sent + failed + skipped + unknown = audience} is unchanged by it. Not part of any aggregate's stream; the
 * e-mail engagement read model indexes them by contact (the contact's timeline).
 */
public sealed interface EmailFeedbackEvent permits EmailBouncedEvent, EmailComplainedEvent {

    /** The delivery: {@code <campaignId>:<contactId>} for a campaign's, {@code <runId>:<nodeId>} for a flow's. */
    String deliveryId();

    String contactId();

    /** The campaign that sent the e-mail, or null for a flow's send. */
    String campaignId();

    /** The flow and send node that sent the e-mail, or null for a campaign's. */
    String flowId();

    String flowNodeId();

    /** Who reported it: {@code ses}, {@code mailgun}, or {@code smtp} (refused at send time). */
    String provider();

    /** The provider's id of the notification (with the recipient), unique per provider: a repeat records nothing. */
    String feedbackId();
}
