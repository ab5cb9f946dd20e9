package io.herald.saga.delivery;

import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.CampaignView;
import io.herald.api.campaign.FindCampaignQuery;
import io.herald.saga.delivery.CampaignRuns.ActiveRun;
import io.herald.template.TemplateException;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the worker sees of the runs that are not done: their states as last read (pause and cancel are
 * felt through these, refreshed every poll interval) and each campaign's compiled messages, kept while
 * its run is active.
 */
final class ActiveCampaigns {

    // the worker's log: one logger for all its parts
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final CampaignRuns campaignRuns;
    private final QueryGateway queries;
    private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();
    private final Map<String, CampaignMessages> campaigns = new ConcurrentHashMap<>();

    ActiveCampaigns(CampaignRuns campaignRuns, QueryGateway queries) {
        this.campaignRuns = campaignRuns;
        this.queries = queries;
    }

    void refresh() {
        Map<String, ActiveRun> fresh = new HashMap<>();
        campaignRuns.activeRuns().forEach(run -> fresh.put(run.campaignId(), run));
        runs.keySet().retainAll(fresh.keySet());
        runs.putAll(fresh);
        campaigns.keySet().retainAll(fresh.keySet());
    }

    /** The run as last read; null once it is done. */
    ActiveRun run(String campaignId) {
        return runs.get(campaignId);
    }

    List<ActiveRun> all() {
        return List.copyOf(runs.values());
    }

    /** The runs sending now: frozen, not paused. */
    List<ActiveRun> sending() {
        return runs.values().stream().filter(ActiveRun::sending).toList();
    }

    /**
     * A campaign's messages, compiled once from what its run was opened with (the launch carries it). A run opened
     * before launches carried it is read from the campaign read model (null while that lags). Null when the
     * template is broken.
     */
    CampaignMessages messages(String campaignId) {
        CampaignMessages cached = campaigns.get(campaignId);
        if (cached != null) {
            return cached;
        }
        CampaignDefinition definition = campaignRuns.definition(campaignId).orElseGet(() -> {
            CampaignView view = queries.query(new FindCampaignQuery(campaignId), CampaignView.class).join();
            return view == null ? null : new CampaignDefinition(view.name(), view.channel(), view.content(),
                                                                view.segmentId(), view.throttlePerSecond(),
                                                                view.transactional() ? Boolean.TRUE : null);
        });
        if (definition == null) {
            return null; // a run of before: the read model has not caught up yet
        }
        try {
            CampaignMessages messages = new CampaignMessages(campaignId, definition);
            campaigns.put(campaignId, messages);
            return messages;
        } catch (TemplateException e) {
            // templates are checked when a campaign is written; a stored one that no longer parses fails each send
            log.warn("Campaign {}: template error {}", campaignId, e.problem().message());
            return null;
        }
    }
}
