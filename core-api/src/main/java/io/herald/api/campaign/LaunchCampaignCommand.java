package io.herald.api.campaign;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Launches a DRAFT or SCHEDULED campaign now. */
public record LaunchCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId) implements CampaignCommands {
}
