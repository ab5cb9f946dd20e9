package io.herald.api.campaign;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records the audience a launched campaign froze (sent by the delivery side once every recipient is
 * written down). Idempotent: a campaign's audience is recorded once.
 *
 * @param audience       recipients written down, skipped ones included
 * @param skipped        of those, recorded SKIPPED at once (no consent or no address on the channel)
 * @param segmentVersion the version of the segment's rules that was evaluated
 */
public record RecordCampaignAudienceCommand(@TargetAggregateIdentifier @NotBlank String campaignId, long audience,
                                            long skipped, String segmentId, long segmentVersion)
        implements CampaignCommands {
}
