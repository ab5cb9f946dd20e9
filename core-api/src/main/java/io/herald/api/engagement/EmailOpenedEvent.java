package io.herald.api.engagement;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An e-mail's tracking pixel was fetched: the message was opened, or a machine (an image proxy, Apple Mail Privacy
 * Protection, a scanner) fetched its images. Each fetch is an event; {@link #first()} marks the delivery's first.
 *
 * @param openedAt when the pixel was fetched
 */
@Revision("1")
public record EmailOpenedEvent(String deliveryId, String contactId, String campaignId, String flowId,
                               String flowNodeId, Instant sentAt, Instant openedAt, String userAgentClass,
                               boolean first, boolean machine, String machineReason) implements EngagementEvent {
}
