package io.herald.api.engagement;

/**
 * What a recorded open or click came to.
 *
 * @param link          for a click, where to send the person; null for an open
 * @param machine       taken for a machine's
 * @param machineReason why, or null
 */
public record EngagementRecorded(String deliveryId, String link, boolean machine, String machineReason) {
}
