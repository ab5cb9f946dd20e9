package io.herald.query.engagement;

import io.herald.api.engagement.CampaignEngagementView;
import io.herald.api.engagement.FindCampaignEngagementQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers a campaign's counted opens and clicks from the campaign-report read model. */
@Component
class CampaignReportQueryHandler {

    private final CampaignReportProjection projection;

    CampaignReportQueryHandler(CampaignReportProjection projection) {
        this.projection = projection;
    }

    @QueryHandler
    CampaignEngagementView handle(FindCampaignEngagementQuery query) {
        return projection.read(query.campaignId());
    }
}
