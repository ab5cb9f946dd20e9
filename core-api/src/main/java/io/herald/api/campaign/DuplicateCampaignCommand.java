package io.herald.api.campaign;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Copies a campaign (of any status) into a new draft {@code copyId} with the same channel, content, segment, rate and
 * transactional flag, named {@code copyName}, never a template. Both histories record it: the source's
 * {@link CampaignDuplicatedEvent}, the copy's {@link CampaignCreatedEvent} with {@code copiedFrom}. A retry with the
 * same {@code copyId} answers the copy already made.
 */
public record DuplicateCampaignCommand(@TargetAggregateIdentifier @NotBlank String campaignId,
                                       @NotBlank String copyId,
                                       @NotBlank @Size(max = 200) String copyName) implements CampaignCommands {
}
