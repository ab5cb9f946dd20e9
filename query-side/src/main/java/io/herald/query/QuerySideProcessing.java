package io.herald.query;

import io.herald.eventstore.ProcessingGroups;
import io.herald.eventstore.PromptEventSource;
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
    /** Live updates of contact imports (a live processor in each instance). */
    public static final String AUDIENCE_LIVE = "audience-live";

    /** A failure in these projections fails the command (tracking, campaign) that produced the event. */
    @Bean
    ConfigurerModule querySideGroupsInCommandTransaction() {
        return ProcessingGroups.inCommandTransaction(TRACKED_EVENTS, CAMPAIGN_SUMMARY);
    }

    @Bean
    ConfigurerModule querySideLiveGroups(ObjectProvider<PromptEventSource> source) {
        return ProcessingGroups.live(source, AUDIENCE_LIVE);
    }
}
