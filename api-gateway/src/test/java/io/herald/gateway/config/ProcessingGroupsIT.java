package io.herald.gateway.config;

import io.herald.gateway.support.HeraldInstance;
import io.herald.eventstore.support.TestDatabases;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The processing groups as their modules register them: the processor type of each group, the
 * segments of the pooled ones (their token rows), the groups written in the command's transaction
 * (errors propagate; a group run subscribing that no module declared so stops start-up) and the live
 * groups (tracking, tokens in memory: no token rows).
 */
class ProcessingGroupsIT {

    @Test
    void eachModulesGroups_runWithTheirProcessorSettings() {
        try (HeraldInstance herald = HeraldInstance.start(TestDatabases.newDatabase())) {
            EventProcessingConfiguration processing = herald.bean(EventProcessingConfiguration.class);

            assertThat(processor(processing, "campaign-summary")).isInstanceOf(SubscribingEventProcessor.class);
            assertThat(processor(processing, "audience")).isInstanceOf(PooledStreamingEventProcessor.class);
            assertThat(processor(processing, "campaign-send")).isInstanceOf(PooledStreamingEventProcessor.class);
            assertThat(processor(processing, "flow-triggers")).isInstanceOf(PooledStreamingEventProcessor.class);
            assertThat(processor(processing, "webhook-feed")).isInstanceOf(PooledStreamingEventProcessor.class);
            assertThat(processor(processing, "email-feedback-consent")).isInstanceOf(PooledStreamingEventProcessor.class);
            assertThat(processor(processing, "tracked-events")).isInstanceOf(SubscribingEventProcessor.class);
            assertThat(processor(processing, "segment-usage")).isInstanceOf(SubscribingEventProcessor.class);
            assertThat(processor(processing, "delivery-live")).isInstanceOf(TrackingEventProcessor.class);
            assertThat(processor(processing, "audience-live")).isInstanceOf(TrackingEventProcessor.class);

            assertThat(processing.listenerInvocationErrorHandler("tracked-events")).isSameAs(PropagatingErrorHandler.instance());
            assertThat(processing.listenerInvocationErrorHandler("segment-usage")).isSameAs(PropagatingErrorHandler.instance());
            assertThat(processing.listenerInvocationErrorHandler("campaign-summary")).isSameAs(PropagatingErrorHandler.instance());
            assertThat(processing.listenerInvocationErrorHandler("audience")).isNotInstanceOf(PropagatingErrorHandler.class);
            // a consent change that failed is tried again, not passed over
            assertThat(processing.listenerInvocationErrorHandler("email-feedback-consent"))
                    .isSameAs(PropagatingErrorHandler.instance());

            JdbcTemplate jdbc = new JdbcTemplate(herald.bean(DataSource.class));
            Map<String, Long> segments = Map.of("audience", 2L, "campaign-send", 1L, "flow-triggers", 1L,
                                                    "webhook-feed", 1L, "email-feedback-consent", 1L);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.query(
                    "select processor_name, count(*) from token_entry group by processor_name",
                    (rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                    .isEqualTo(segments));
        }
    }

    @Test
    void aGroupRunSubscribingThatNoModuleDeclared_failsStartUp_namingIt() {
        String database = TestDatabases.newDatabase();

        assertThatThrownBy(() -> HeraldInstance.start(database,
                        "axon.eventhandling.processors.audience.mode=subscribing",
                        "axon.eventhandling.processors.audience.source=eventBus").close())
                .hasStackTraceContaining("processing group 'audience' runs as a subscribing processor, "
                        + "but no module declares it with ProcessingGroups.inCommandTransaction(group, reason)");
    }

    private static EventProcessor processor(EventProcessingConfiguration processing, String group) {
        return processing.eventProcessorByProcessingGroup(group).orElseThrow(() -> new AssertionError(group));
    }
}
