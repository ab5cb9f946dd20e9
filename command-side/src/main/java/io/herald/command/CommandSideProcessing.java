package io.herald.command;

import io.herald.eventstore.HandledEventsSource;
import io.herald.eventstore.ProcessingGroups;
import io.herald.eventstore.PromptEventSource;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import io.herald.command.contact.ContactSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * The command side's processing groups: their names, their processor settings
 * ({@code io/herald/command/processing.properties}) and their registration; and its own settings
 * ({@link CommandSideProperties}).
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:io/herald/command/processing.properties")
@EnableConfigurationProperties(CommandSideProperties.class)
public class CommandSideProcessing {

    /** Which campaign uses which segment, written in the campaign command's transaction (subscribing). */
    public static final String SEGMENT_USAGE = "segment-usage";

    /** The audience context's settings, as aggregates and handlers take them. */
    @Bean
    ContactSettings contactSettings(CommandSideProperties properties) {
        return ContactSettings.of(properties);
    }

    /** A failure in the segment usage lookup fails the campaign command. */
    @Bean
    ProcessingGroups.InCommandTransaction segmentUsageInCommandTransaction() {
        return ProcessingGroups.inCommandTransaction(SEGMENT_USAGE, "the segment delete check reads it: written with "
                + "the campaign's own events, it is never behind a campaign, so a segment in use cannot be deleted");
    }

    /** Only the events the segment usage handlers take (its "source" setting in processing.properties). */
    @Bean
    HandledEventsSource segmentUsageSource(EventStore eventStore, PromptEventSource stored,
                                           ObjectProvider<EventProcessingConfiguration> processing) {
        return HandledEventsSource.of(SEGMENT_USAGE, eventStore, stored, processing::getObject);
    }
}
