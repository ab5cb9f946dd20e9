package io.herald.api.campaign;

import java.util.Set;

/**
 * A page of campaigns, most recently changed first; answered with a {@link CampaignPage}.
 *
 * @param statuses only these statuses; empty for all
 * @param template only templates (true), only campaigns that are not (false); null for all
 * @param page     zero-based page number
 * @param size     page size (1–200)
 */
public record FindCampaignsQuery(Set<CampaignStatus> statuses, Boolean template, int page, int size) {

    public FindCampaignsQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }

    /** Templates or not alike. */
    public FindCampaignsQuery(Set<CampaignStatus> statuses, int page, int size) {
        this(statuses, null, page, size);
    }
}
