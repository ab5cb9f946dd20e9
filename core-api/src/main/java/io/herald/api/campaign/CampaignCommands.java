package io.herald.api.campaign;

/** Marker for the campaign context's commands; each targets one campaign aggregate. */
public sealed interface CampaignCommands permits CreateCampaignCommand, UpdateCampaignCommand,
        ScheduleCampaignCommand, LaunchCampaignCommand, PauseCampaignCommand, ResumeCampaignCommand,
        CancelCampaignCommand, CompleteCampaignCommand, FailCampaignCommand, RecordCampaignAudienceCommand, DuplicateCampaignCommand {

    String campaignId();
}
