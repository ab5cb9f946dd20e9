package io.herald.api.campaign;

import io.herald.api.common.DomainException;

import java.util.Map;

/** A create with an id that belongs to a campaign with another definition (HTTP 409). */
public class CampaignAlreadyExistsException extends DomainException {

    public static final String CODE = "campaign.already-exists";

    public CampaignAlreadyExistsException(String campaignId) {
        super(Kind.CONFLICT, CODE, "A different campaign with id " + campaignId + " already exists",
              "id", Map.of("campaignId", campaignId));
    }
}
