package io.herald.query;

import io.herald.eventstore.ProcessingGroups;
import io.herald.eventstore.HandledEventsSource;
import io.herald.eventstore.PromptEventSource;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.config.ConfigurerModule;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * The query side's processing groups: their names, their processor settings
 * ({@code io/herald/query/processing.properties}) and their registration.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:io/herald/query/processing.properties")
public class QuerySideProcessing {

    /** The campaign summaries, written in the campaign command's transaction (subscribing). */
    public static final String CAMPAIGN_SUMMARY = "campaign-summary";
    /** The audience read models: contacts, imports, segment definitions (pooled, one group). */
    public static final String AUDIENCE = "audience";
    /** The tracked-events read model, written in the tracking command's transaction (subscribing). */
    public static final String TRACKED_EVENTS = "tracked-events";
    /** The flow definitions (list, draft, versions), written in the flow command's transaction (subscribing). */
    public static final String FLOW_DEFINITIONS = "flow-definitions";
    /** The e-mail engagement read model (opens and clicks by contact), written in the recording command's transaction (subscribing). */
    public static final String EMAIL_ENGAGEMENT = "email-engagement";
    /** The campaign report's counters (opens and clicks per campaign, hour and link), written in the recording command's transaction (subscribing). */
    public static final String CAMPAIGN_REPORT = "campaign-report";
    /** Live updates of contact imports (a live processor in each instance). */
    public static final String AUDIENCE_LIVE = "audience-live";

    /** A failure in these projections fails the command (tracking, campaign) that produced the event. */
    @Bean
    ProcessingGroups.InCommandTransaction trackedEventsInCommandTransaction() {
        return ProcessingGroups.inCommandTransaction(TRACKED_EVENTS, "a tracked event is queryable when its request is "
                + "answered, and the events are not read back from the store to be projected (one multi-row INSERT "
                + "per request; README, \"Audience at volume\")");
    }

    @Bean
    ProcessingGroups.InCommandTransaction campaignSummaryInCommandTransaction() {
        return ProcessingGroups.inCommandTransaction(CAMPAIGN_SUMMARY, "a campaign write answers with the campaign as "
                + "stored after one read, without a subscription query, re-reads, or a processor's transaction and token "
                + "writes per event (README, \"Rebuilding campaign_summary\")");
    }

    @Bean
    ProcessingGroups.InCommandTransaction flowDefinitionsInCommandTransaction() {
        return ProcessingGroups.inCommandTransaction(FLOW_DEFINITIONS, "a flow write answers with the flow as stored "
                + "after one read, and its If-Match/ETag is the version that read shows");
    }

    @Bean
    ProcessingGroups.InCommandTransaction emailEngagementInCommandTransaction() {
        return ProcessingGroups.inCommandTransaction(EMAIL_ENGAGEMENT, "an open or click is in the contact's timeline "
                + "when its request is answered, and the events are not read back from the store to be projected");
    }

    @Bean
    ProcessingGroups.InCommandTransaction campaignReportInCommandTransaction() {
        return ProcessingGroups.inCommandTransaction(CAMPAIGN_REPORT, "a campaign report counts an open or click "
                + "when its request is answered, and the events are not read back from the store to be projected");
    }

    /*
     * Each of these groups gets only the events its handlers take (HandledEventsSource), named in its
     * "source" setting in processing.properties.
     */

    @Bean
    HandledEventsSource trackedEventsSource(EventStore eventStore, PromptEventSource stored,
                                            ObjectProvider<EventProcessingConfiguration> processing) {
        return HandledEventsSource.of(TRACKED_EVENTS, eventStore, stored, processing::getObject);
    }

    @Bean
    HandledEventsSource campaignSummarySource(EventStore eventStore, PromptEventSource stored,
                                              ObjectProvider<EventProcessingConfiguration> processing) {
        return HandledEventsSource.of(CAMPAIGN_SUMMARY, eventStore, stored, processing::getObject);
    }

    @Bean
    HandledEventsSource flowDefinitionsSource(EventStore eventStore, PromptEventSource stored,
                                              ObjectProvider<EventProcessingConfiguration> processing) {
        return HandledEventsSource.of(FLOW_DEFINITIONS, eventStore, stored, processing::getObject);
    }

    @Bean
    HandledEventsSource emailEngagementSource(EventStore eventStore, PromptEventSource stored,
                                              ObjectProvider<EventProcessingConfiguration> processing) {
        return HandledEventsSource.of(EMAIL_ENGAGEMENT, eventStore, stored, processing::getObject);
    }

    @Bean
    HandledEventsSource campaignReportSource(EventStore eventStore, PromptEventSource stored,
                                             ObjectProvider<EventProcessingConfiguration> processing) {
        return HandledEventsSource.of(CAMPAIGN_REPORT, eventStore, stored, processing::getObject);
    }

    @Bean
    ConfigurerModule querySideLiveGroups(ObjectProvider<PromptEventSource> source) {
        return ProcessingGroups.live(source, AUDIENCE_LIVE);
    }
}
