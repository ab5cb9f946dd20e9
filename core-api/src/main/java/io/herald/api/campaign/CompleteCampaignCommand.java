package io.herald.api.campaign;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Marks a RUNNING campaign as COMPLETED (sent by the delivery side when every recipient has a final status). */
public record CompleteCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId) implements CampaignCommands {
}
