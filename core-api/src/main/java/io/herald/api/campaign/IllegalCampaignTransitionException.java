package io.herald.api.campaign;

import io.herald.api.common.DomainException;

import java.util.Map;

/** The campaign's current status does not allow the requested move (HTTP 409). */
public class IllegalCampaignTransitionException extends DomainException {

    public static final String CODE = "campaign.illegal-transition";

    public IllegalCampaignTransitionException(String campaignId, CampaignStatus current, String action) {
        super(Kind.CONFLICT, CODE,
              "Cannot " + action + " campaign " + campaignId + " while it is " + current,
              null, Map.of("currentStatus", current.name(), "action", action));
    }
}
