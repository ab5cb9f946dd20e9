package io.herald.api.campaign;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces the definition of a DRAFT or SCHEDULED campaign. */
public record UpdateCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId,
                                    @NotNull @Valid CampaignDefinition definition) implements CampaignCommands {
}
