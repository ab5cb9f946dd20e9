package io.herald.gateway.config;

import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import io.herald.eventstore.support.TestDatabases;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once per processing group, with instances coming and going under load (Hardening, item 3).
 * <p>
 * A test-only pooled processor ({@code handling-probe}: 4 segments, 2 threads, reading
 * {@code promptEventSource} like Herald's own projections) writes one row per event it handles, in the
 * processor's own transaction. While clients write contacts and campaigns through two, then three, then
 * two instances, the segments move: released by one instance and claimed by another, a third instance
 * joins, the first one stops. Every stored event must then be handled exactly once, each aggregate's
 * events in their order; and after {@code resetTokens} (a replay, with the processor stopped on every
 * instance, as Axon requires) exactly once more, in order again. Herald's own {@code campaign-summary}
 * projection holds one row per created campaign throughout.
 * <p>
 * It found that instances in one process (or in containers with the same pid and host name) claimed
 * segments under one owner name and both handled them: see {@code TokenStoreConfiguration}.
 */
class HandledOncePerGroupIT {

    static final String PROBE = "handling-probe";
    static final String[] PROBE_SETTINGS = {
            "axon.eventhandling.processors." + PROBE + ".mode=pooled",
            "axon.eventhandling.processors." + PROBE + ".source=promptEventSource",
            "axon.eventhandling.processors." + PROBE + ".initial-segment-count=4",
            "axon.eventhandling.processors." + PROBE + ".thread-count=2",
            "axon.eventhandling.processors." + PROBE + ".batch-size=50",
    };

    @Test
    void everyEventHandledOncePerGroup_whileSegmentsMove_andOnceMoreAfterAReset() throws Exception {
        String database = TestDatabases.newDatabase();
        HeraldInstance a = start(database);
        HeraldInstance b = null;
        HeraldInstance c = null;
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            ApiClient apiA = TestAuth.asAdmin(a.api());
            String authorization = apiA.defaultHeader("Authorization");
            b = start(database);
            ApiClient apiB = b.api().withHeader("Authorization", authorization);
            List<ApiClient> targets = new CopyOnWriteArrayList<>(List.of(apiA, apiB));

            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger accepted = new AtomicInteger();
            for (int t = 0; t < 4; t++) {
                clients.submit(() -> {
                    while (loading.get()) {
                        ApiClient api = targets.get(ThreadLocalRandom.current().nextInt(targets.size()));
                        try {
                            var reply = ThreadLocalRandom.current().nextInt(5) == 0
                                    ? api.post("/api/campaigns", CampaignApiITSupport.EMAIL_BODY)
                                    : api.post("/api/contacts", "{\"email\":\"p" + UUID.randomUUID().toString().substring(0, 13)
                                    + "@example.com\",\"attributes\":{\"plan\":\"pro\"}}");
                            if (reply.status() == 201 || reply.status() == 202) {
                                accepted.incrementAndGet();
                            }
                        } catch (RuntimeException stoppedInstance) {
                            // an instance being stopped refuses connections; the others go on
                        }
                    }
                    return null;
                });
            }

            JdbcTemplate jdbc = b.bean(JdbcTemplate.class);
            awaitAllSegmentsClaimed(jdbc);
            Thread.sleep(2_000);
            releaseOwnSegments(a);                       // A's segments go to B
            Thread.sleep(4_000);
            c = start(database);                         // a third instance joins under load
            targets.add(c.api().withHeader("Authorization", authorization));
            Thread.sleep(2_000);
            releaseOwnSegments(b);                       // B's segments go to A or C
            Thread.sleep(4_000);
            targets.remove(apiA);
            a.close();                                   // the first instance stops; its segments move
            a = null;
            Thread.sleep(4_000);
            loading.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(accepted.get()).as("writes accepted during the load").isGreaterThan(100);

            long stored = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
            awaitHandled(jdbc, 1, stored);
            assertExactlyOnceInOrder(jdbc, 1, stored);
            // the segments did move: all three instances handled events
            assertThat(jdbc.queryForObject("select count(distinct instance) from probe_handled where generation = 1",
                    Integer.class)).isEqualTo(3);
            // a real projection of Herald's, on the same moves: one row per created campaign
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    jdbc.queryForObject("select count(*) from campaign_summary", Long.class))
                    .isEqualTo(jdbc.queryForObject(
                            "select count(*) from domain_event_entry where payload_type like '%CampaignCreatedEvent'",
                            Long.class)));

            // a replay: stopped on every instance, tokens reset from one, started again
            List<HeraldInstance> running = List.of(b, c);
            for (HeraldInstance instance : running) {
                probeProcessor(instance).shutdownAsync().get(30, TimeUnit.SECONDS);
                instance.bean(HandlingProbe.class).generation = 2;
            }
            probeProcessor(b).resetTokens();
            running.forEach(instance -> probeProcessor(instance).start());
            awaitHandled(jdbc, 2, stored);
            assertExactlyOnceInOrder(jdbc, 2, stored);
        } finally {
            clients.shutdownNow();
            for (HeraldInstance instance : new HeraldInstance[]{c, b, a}) {
                if (instance != null) {
                    instance.close();
                }
            }
        }
    }

    private static HeraldInstance start(String database) {
        return HeraldInstance.start(database, new Class<?>[]{ProbeBeans.class}, PROBE_SETTINGS);
    }

    private static PooledStreamingEventProcessor probeProcessor(HeraldInstance instance) {
        return instance.bean(EventProcessingConfiguration.class)
                .eventProcessor(PROBE, PooledStreamingEventProcessor.class)
                .orElseThrow();
    }

    private static void releaseOwnSegments(HeraldInstance instance) {
        PooledStreamingEventProcessor processor = probeProcessor(instance);
        for (int segment : processor.processingStatus().keySet().stream().mapToInt(Integer::intValue).toArray()) {
            processor.releaseSegment(segment);
        }
    }

    private static void awaitAllSegmentsClaimed(JdbcTemplate jdbc) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> tokens = jdbc.queryForList(
                    "select segment, owner from token_entry where processor_name = ?", PROBE);
            assertThat(tokens).hasSize(4).allSatisfy(t -> assertThat(t.get("owner")).isNotNull());
        });
    }

    private static void awaitHandled(JdbcTemplate jdbc, int generation, long stored) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                jdbc.queryForObject("select count(distinct event_id) from probe_handled where generation = ?",
                        Long.class, generation))
                .as("events handled in generation %d", generation)
                .isGreaterThanOrEqualTo(stored));
    }

    private static void assertExactlyOnceInOrder(JdbcTemplate jdbc, int generation, long stored) {
        // written in the processor's transaction, so committed together with its token, or not at all
        assertThat(jdbc.queryForObject("select count(*) from probe_handled where generation = ? and not in_tx",
                Long.class, generation)).isZero();
        // every stored event, each exactly once
        assertThat(jdbc.queryForList("""
                select p.id, p.event_id, p.global_index, p.seq, p.instance, p.in_tx, p.at, left(p.token, 300) from probe_handled p
                where p.generation = ? and p.event_id in (
                  select event_id from probe_handled where generation = ? group by event_id having count(*) > 1)
                order by p.event_id, p.id limit 20""", generation, generation)).as("handled twice").isEmpty();
        assertThat(jdbc.queryForObject("""
                select count(*) from domain_event_entry e
                where not exists (select 1 from probe_handled p where p.generation = ? and p.event_id = e.event_identifier)""",
                Long.class, generation)).as("stored but never handled").isZero();
        assertThat(jdbc.queryForObject("select count(*) from probe_handled where generation = ?", Long.class, generation))
                .isEqualTo(stored);
        // each aggregate's events in their order, with none left out: 0, 1, 2, ... by the order handled
        List<Map<String, Object>> outOfOrder = jdbc.queryForList("""
                select aggregate_id, seq, expected from (
                  select aggregate_id, seq, row_number() over (partition by aggregate_id order by id) - 1 as expected
                  from probe_handled where generation = ? and aggregate_id is not null) handled
                where seq <> expected limit 10""", generation);
        assertThat(outOfOrder).as("aggregates whose events were handled out of order").isEmpty();
        // and the stream's order within each aggregate matches the global order it was read in
        assertThat(jdbc.queryForObject("""
                select count(*) from (
                  select global_index, lag(global_index) over (partition by aggregate_id order by id) as previous
                  from probe_handled where generation = ? and aggregate_id is not null) handled
                where previous is not null and global_index <= previous""", Long.class, generation)).isZero();
    }

    /** Registered only by this test's instances ({@link HeraldInstance#start(String, Class[], String...)}). */
    static class ProbeBeans {

        @Bean
        HandlingProbe handlingProbe(JdbcTemplate jdbc) {
            jdbc.execute("""
                    create table if not exists probe_handled (
                      id bigserial primary key, generation int not null, event_id text not null,
                      global_index bigint, aggregate_id text, seq bigint, instance text not null, token text, in_tx boolean, at timestamptz default clock_timestamp())""");
            return new HandlingProbe(jdbc);
        }
    }

    /** Writes a row per event it handles, in the processor's transaction (committed with its token). */
    @ProcessingGroup(PROBE)
    static class HandlingProbe {

        private final JdbcTemplate jdbc;
        private final String instance = UUID.randomUUID().toString();
        volatile int generation = 1;

        HandlingProbe(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventHandler
        void on(Object payload, EventMessage<?> message, TrackingToken token) {
            String aggregateId = null;
            Long sequence = null;
            if (message instanceof DomainEventMessage<?> domain) {
                aggregateId = domain.getAggregateIdentifier();
                sequence = domain.getSequenceNumber();
            }
            Long globalIndex = token.position().isPresent() ? token.position().getAsLong() : null;
            jdbc.update("insert into probe_handled (generation, event_id, global_index, aggregate_id, seq, instance, token, in_tx) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?)",
                    generation, message.getIdentifier(), globalIndex, aggregateId, sequence, instance,
                    String.valueOf(token), TransactionSynchronizationManager.isActualTransactionActive());
        }
    }
}
