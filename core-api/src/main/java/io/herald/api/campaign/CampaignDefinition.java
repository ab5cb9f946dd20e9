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
 */
public record CampaignDefinition(
        @NotBlank @Size(max = 200) String name,
        @NotNull Channel channel,
        @NotNull @Valid CampaignContent content,
        @Size(max = 64) String segmentId,
        @Positive @Max(100_000) Integer throttlePerSecond,
        Boolean transactional) {

    /** A definition that is not transactional (the messaging policy applies). */
    public CampaignDefinition(String name, Channel channel, CampaignContent content, String segmentId,
                              Integer throttlePerSecond) {
        this(name, channel, content, segmentId, throttlePerSecond, null);
    }

    /**
     * Whether the messaging policy leaves it alone ({@code transactional} is true). Not named as a bean getter, so
     * JSON keeps the component as it is (null stays null).
     */
    public boolean policyExempt() {
        return Boolean.TRUE.equals(transactional);
    }
}
