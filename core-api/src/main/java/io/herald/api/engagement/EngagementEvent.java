package io.herald.api.engagement;

import java.time.Instant;

/**
 * What a recipient (or a machine on their behalf) did with an e-mail Herald sent: opened it (the tracking pixel
 * was fetched) or clicked one of its links (the signed redirect was followed). Not part of any aggregate's stream:
 * they carry the contact and the delivery, and the e-mail engagement read model indexes them by contact (the
 * contact's timeline). Machine traffic is flagged ({@link #machine()}, {@link #machineReason()}), never dropped.
 */
public sealed interface EngagementEvent permits EmailOpenedEvent, LinkClickedEvent {

    /** The delivery: {@code <campaignId>:<contactId>} for a campaign's, {@code <runId>:<nodeId>} for a flow's. */
    String deliveryId();

    String contactId();

    /** The campaign that sent the e-mail, or null for a flow's send. */
    String campaignId();

    /** The flow and send node that sent the e-mail, or null for a campaign's. */
    String flowId();

    String flowNodeId();

    /** When the e-mail was rendered for sending (signed into the link). */
    Instant sentAt();

    /** What kind of software asked ({@code browser}, {@code mail-client}, {@code image-proxy:google}, ...); never the raw user agent. */
    String userAgentClass();

    /** The first of its kind for this delivery (unique counts are the firsts). */
    boolean first();

    boolean machine();

    /** Why it is taken for a machine's ({@code image-proxy}, {@code soon-after-send}, ...), or null. */
    String machineReason();
}
