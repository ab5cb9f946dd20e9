package io.herald.gateway.campaign;

import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.Channel;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Request bodies of the campaign endpoints. Unknown fields are refused by the API's JSON settings. */
final class CampaignRequests {

    static final String UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private CampaignRequests() {
    }

    /**
     * Creates a draft. {@code id} is optional: a client that supplies its own UUID can retry the
     * request safely (the same id and definition answer with the same campaign).
     */
    record Create(@Pattern(regexp = UUID_PATTERN, message = "must be a UUID") String id,
                  @NotBlank @Size(max = 200) String name,
                  @NotNull Channel channel,
                  @NotNull @Valid CampaignContent content,
                  @Size(min = 1, max = 64) String segmentId,
                  @Positive @Max(100_000) Integer throttlePerSecond,
                  Boolean transactional,
                  Boolean template) {

        CampaignDefinition definition() {
            return new CampaignDefinition(name.strip(), channel, content, segmentId, throttlePerSecond,
                                          Boolean.TRUE.equals(transactional) ? Boolean.TRUE : null,
                                          Boolean.TRUE.equals(template) ? Boolean.TRUE : null);
        }
    }

    /** Replaces the definition of a DRAFT or SCHEDULED campaign. */
    record Update(@NotBlank @Size(max = 200) String name,
                  @NotNull Channel channel,
                  @NotNull @Valid CampaignContent content,
                  @Size(min = 1, max = 64) String segmentId,
                  @Positive @Max(100_000) Integer throttlePerSecond,
                  Boolean transactional,
                  Boolean template) {

        CampaignDefinition definition() {
            return new CampaignDefinition(name.strip(), channel, content, segmentId, throttlePerSecond,
                                          Boolean.TRUE.equals(transactional) ? Boolean.TRUE : null,
                                          Boolean.TRUE.equals(template) ? Boolean.TRUE : null);
        }
    }

    /**
     * When to launch. {@code sendAt} is an ISO-8601 date-time: without an offset
     * ({@code 2026-12-01T09:00}) it is read in {@code timeZone}; with one it is that instant.
     */
    record Schedule(@NotBlank @Size(max = 64) String sendAt,
                    @NotBlank @Size(max = 64) String timeZone) {
    }

    /** Optional name of a copy (default: the source's name with " (copy)"). */
    record Duplicate(@Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name) {
    }

    /** Optional reason kept in the campaign's history. */
    record Cancel(@Size(max = 500) String reason) {
    }
}
