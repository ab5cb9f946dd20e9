package io.herald.api.campaign;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Marks a RUNNING or PAUSED campaign as FAILED: sent by the delivery workers when its run cannot go on (reasons in
 * {@link CampaignFailedEvent}). A campaign already FAILED answers as before (workers may ask more than once).
 */
public record FailCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId,
                                  @NotBlank @Size(max = 100) String reason, @Size(max = 1000) String detail)
        implements CampaignCommands {
}
