package io.herald.api.engagement;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A link of an e-mail was followed through its signed redirect. Each click is an event; {@link #first()} marks the
 * delivery's first click on this link.
 *
 * @param link      the URL the recipient was sent to (as it was in the sent content)
 * @param linkIndex the link's number among the distinct links of the e-mail (0-based)
 * @param links     how many distinct tracked links the e-mail had
 * @param clickedAt when the redirect was asked for
 */
@Revision("1")
public record LinkClickedEvent(String deliveryId, String contactId, String campaignId, String flowId,
                               String flowNodeId, Instant sentAt, String link, int linkIndex, int links,
                               Instant clickedAt, String userAgentClass, boolean first, boolean machine,
                               String machineReason) implements EngagementEvent {
}
