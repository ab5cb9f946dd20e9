package io.herald.api.campaign;

import io.herald.api.delivery.DeliveryTotals;
import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Marks a RUNNING campaign as COMPLETED (sent by the send saga when every recipient has a final status). */
public record CompleteCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId, DeliveryTotals totals)
        implements CampaignCommands {
}
