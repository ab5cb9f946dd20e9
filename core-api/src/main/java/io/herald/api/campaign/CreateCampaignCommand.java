package io.herald.api.campaign;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Creates a draft. The id is chosen by the client or the API, so a retried request with the same
 * id and definition is answered without creating a second campaign.
 */
public record CreateCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId,
                                    @NotNull @Valid CampaignDefinition definition) implements CampaignCommands {
}
