package io.herald.command.campaign;

import java.time.Instant;

/**
 * Payload of the persistent launch deadline. It carries the time it was scheduled for, so a
 * deadline left over from an earlier schedule can never launch a rescheduled campaign.
 */
public record CampaignLaunchDue(Instant sendAt) {
}
