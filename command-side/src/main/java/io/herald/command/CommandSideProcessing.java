package io.herald.command;

import io.herald.eventstore.ProcessingGroups;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * The command side's processing groups: their names, their processor settings
 * ({@code io/herald/command/processing.properties}) and their registration.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:io/herald/command/processing.properties")
public class CommandSideProcessing {

    /** Which campaign uses which segment, written in the campaign command's transaction (subscribing). */
    public static final String SEGMENT_USAGE = "segment-usage";

    /** A failure in the segment usage lookup fails the campaign command. */
    @Bean
    ConfigurerModule commandSideGroupsInCommandTransaction() {
        return ProcessingGroups.inCommandTransaction(SEGMENT_USAGE);
    }
}
