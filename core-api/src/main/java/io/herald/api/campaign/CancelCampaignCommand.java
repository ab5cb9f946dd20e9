package io.herald.api.campaign;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Cancels a campaign that has not finished; the optional reason is kept in its history. */
public record CancelCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId,
                                    @Size(max = 500) String reason) implements CampaignCommands {
}
