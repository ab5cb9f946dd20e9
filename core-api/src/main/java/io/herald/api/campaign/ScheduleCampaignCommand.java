package io.herald.api.campaign;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.time.ZoneId;

/**
 * Schedules (or reschedules) the launch of a DRAFT or SCHEDULED campaign.
 *
 * @param sendAt   the moment to launch, at most a year ahead and not in the past
 * @param timeZone the IANA zone the operator scheduled in (kept for display and audit)
 */
public record ScheduleCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId,
                                      @NotNull Instant sendAt,
                                      @NotNull ZoneId timeZone) implements CampaignCommands {
}
