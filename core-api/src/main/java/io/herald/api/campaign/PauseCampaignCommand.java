package io.herald.api.campaign;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Pauses a RUNNING campaign. */
public record PauseCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId) implements CampaignCommands {
}
