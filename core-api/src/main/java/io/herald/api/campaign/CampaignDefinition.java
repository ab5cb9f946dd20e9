package io.herald.api.campaign;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The editable part of a campaign.
 *
 * @param name              shown to operators, 1–200 characters
 * @param channel           where it sends
 * @param content           what it sends (fields by channel, see {@link CampaignContent})
 * @param segmentId         the audience; may be empty until segments exist
 * @param throttlePerSecond optional cap on messages per second for this campaign
 * @param transactional     exempt from the messaging policy's frequency caps and quiet hours, and not counted
 *                          (receipts, notices); absent: false
 * @param template          marked as a template to be copied (e.g. every day by the n8n workflow
 *                          {@code daily-scheduled-campaigns}, through {@link DuplicateCampaignCommand}); a copy is never
 *                          one itself; absent: false
 */
public record CampaignDefinition(
        @NotBlank @Size(max = 200) String name,
        @NotNull Channel channel,
        @NotNull @Valid CampaignContent content,
        @Size(max = 64) String segmentId,
        @Positive @Max(100_000) Integer throttlePerSecond,
        Boolean transactional,
        Boolean template) {

    /** A definition that is not a template. */
    public CampaignDefinition(String name, Channel channel, CampaignContent content, String segmentId,
                              Integer throttlePerSecond, Boolean transactional) {
        this(name, channel, content, segmentId, throttlePerSecond, transactional, null);
    }

    /** A definition that is neither transactional (the messaging policy applies) nor a template. */
    public CampaignDefinition(String name, Channel channel, CampaignContent content, String segmentId,
                              Integer throttlePerSecond) {
        this(name, channel, content, segmentId, throttlePerSecond, null, null);
    }

    /**
     * Whether the messaging policy leaves it alone ({@code transactional} is true). Not named as a bean getter, so
     * JSON keeps the component as it is (null stays null).
     */
    public boolean policyExempt() {
        return Boolean.TRUE.equals(transactional);
    }

    /** Whether it is marked as a template ({@code template} is true); null stays null in JSON, as above. */
    public boolean markedAsTemplate() {
        return Boolean.TRUE.equals(template);
    }

    /** The same definition under another name, not a template: what a copy starts from. */
    public CampaignDefinition copyNamed(String copyName) {
        return new CampaignDefinition(copyName, channel, content, segmentId, throttlePerSecond, transactional, null);
    }
}
