package io.herald.api.campaign;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Resumes a PAUSED campaign. */
public record ResumeCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId) implements CampaignCommands {
}
