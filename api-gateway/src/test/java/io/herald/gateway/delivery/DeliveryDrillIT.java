package io.herald.gateway.delivery;

import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldProcesses;
import io.herald.gateway.support.TestAuth;
import io.herald.eventstore.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery drills: a webhook campaign to a local HTTP sink, the instance sending it killed with
 * SIGKILL ({@code kill -9}) in the middle of the send, then (a) restarted, or (b) left dead while a
 * second instance carries on. Checked at the sink and in the database: every recipient has exactly one
 * final status, totals add up, and the only keys the sink saw twice are recipients whose send was under
 * way at the kill (re-sent with the same Idempotency-Key, as the webhook channel allows). The sink holds
 * its answers for the moment of the kill, so the killed instance always has sends under way, and those are
 * few: at most 64 recipients (herald.delivery.worker.max-in-flight) under way at the kill by the killed
 * worker's journal, and at most 64 re-sent; the outcomes it had written down are reported once, by the survivor.
 * Recipients: {@code -Ddrill.recipients} (CI: 5,000; the drill: 100,000).
 */
class DeliveryDrillIT {

    private static final int RECIPIENTS = Integer.getInteger("drill.recipients", 5_000);
    /** What one killed instance may leave uncertain on a channel (herald.delivery.worker.max-in-flight). */
    private static final int MAX_IN_FLIGHT = 64;

    private final HeraldProcesses processes = new HeraldProcesses();

    @AfterEach
    void killAll() {
        processes.close();
    }

    @Test
    void killNineMidSend_thenRestart_everyRecipientOnceFinal_noDuplicatesButRetriedWebhooks() throws Exception {
        drill(false);
    }

    @Test
    void killNineOneOfTwoInstances_theOtherFinishes_everyRecipientOnceFinal() throws Exception {
        drill(true);
    }

    private void drill(boolean twoInstances) throws Exception {
        String database = TestDatabases.newDatabase();
        try (WebhookSink sink = new WebhookSink()) {
            int portA = freePort();
            Process a = start(database, portA, "a");
            ApiClient api = TestAuth.asAdmin(new ApiClient(portA));
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl(database)));
            String workerA = jdbc.queryForObject("select worker_id from herald_worker where kind = 'delivery'",
                                                 String.class);
            String audience = "drill-" + UUID.randomUUID();
            seedContacts(jdbc, audience, RECIPIENTS);
            String segment = CampaignApiITSupport.segment(api, audience);
            String path = "/drill/" + audience;
            var created = api.post("/api/campaigns", "{\"name\":\"Drill\",\"channel\":\"WEBHOOK\",\"content\":{\"url\":\""
                    + sink.url(path) + "\"},\"segmentId\":\"" + segment + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String campaign = created.json().get("id").asText();

            Process b = null;
            int portB = 0;
            if (twoInstances) {
                portB = freePort();
                b = start(database, portB, "b");
            }
            assertThat(api.post("/api/campaigns/" + campaign + "/launch", null).status()).isEqualTo(200);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> sink.received.size() >= RECIPIENTS / 3);
            // the sink holds its answers, so the kill finds instance a with sends under way (without the hold
            // a kill between two of a's batches, or while b had claimed the work, left nothing to settle)
            CountDownLatch held = new CountDownLatch(1);
            sink.status = (key, seen) -> {
                try {
                    held.await(5, TimeUnit.SECONDS); // well inside the webhook timeout: held, never timed out
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 200;
            };
            // a send of instance a under way: its journal names recipients attempted with no outcome written down (a
            // claim alone is not enough: killed between its claim and its first group, a leaves nothing under way)
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20))
                   .until(() -> underWay(jdbc, workerA) > 0);
            a.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no graceful stop
            long atKill = sink.received.size();
            // the blast radius: the killed worker's journal says which recipients were under way; the survivor
            // settles those and gives the rest of its claims back to the queue
            long underWayAtKill = underWay(jdbc, workerA);
            long claimedAtKill = jdbc.queryForObject(
                    "select count(*) from delivery where campaign_id = ? and worker_id = ? and status = 'SENDING'",
                    Long.class, campaign, workerA);
            assertThat(underWayAtKill).as("under way at the kill").isPositive().isLessThanOrEqualTo(MAX_IN_FLIGHT);
            sink.status = (key, seen) -> 200;
            held.countDown();
            assertThat(atKill).isLessThan(RECIPIENTS);

            int survivor = portB;
            if (!twoInstances) {
                survivor = freePort();
                start(database, survivor, "a-restarted");
            }
            ApiClient after = TestAuth.asAdmin(new ApiClient(survivor));
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                    after.get("/api/campaigns/" + campaign).json().get("status").asText()).isEqualTo("COMPLETED"));

            // the database: one final status per recipient, totals equal
            Map<String, Object> counts = jdbc.queryForMap(
                    "select count(*) as total, count(*) filter (where status = 'SENT') as sent, "
                            + "count(*) filter (where status in ('PENDING', 'SENDING')) as open, "
                            + "count(distinct contact_id) as distinct_contacts from delivery where campaign_id = ?",
                    campaign);
            assertThat(((Number) counts.get("total")).intValue()).isEqualTo(RECIPIENTS);
            assertThat(((Number) counts.get("distinct_contacts")).intValue()).isEqualTo(RECIPIENTS);
            assertThat(((Number) counts.get("open")).intValue()).isZero();
            assertThat(((Number) counts.get("sent")).intValue()).isEqualTo(RECIPIENTS);
            var progress = after.get("/api/campaigns/" + campaign + "/progress").json();
            assertThat(progress.get("sent").asLong()).isEqualTo(RECIPIENTS);
            assertThat(progress.get("audience").asLong()).isEqualTo(RECIPIENTS);
            // the events: every recipient reported sent exactly once, those whose outcome only the journal had included
            long reportedSent = jdbc.queryForObject(
                    "select coalesce(sum((convert_from(payload, 'UTF8')::jsonb ->> 'sent')::bigint), 0) "
                            + "from domain_event_entry where payload_type = ? "
                            + "and convert_from(payload, 'UTF8')::jsonb ->> 'campaignId' = ?",
                    Long.class, DeliveryBatchRecordedEvent.class.getName(), campaign);
            assertThat(reportedSent).as("sent in DeliveryBatchRecorded events").isEqualTo(RECIPIENTS);

            // the sink: every recipient's key, duplicates only for sends under way at the kill
            Map<String, Long> perKey = sink.received.stream().filter(r -> r.path().equals(path))
                    .collect(Collectors.groupingBy(WebhookSink.Received::idempotencyKey, Collectors.counting()));
            assertThat(perKey).hasSize(RECIPIENTS);
            Set<String> duplicated = perKey.entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            Set<String> resent = new HashSet<>(jdbc.queryForList(
                    "select campaign_id || ':' || contact_id from delivery_failure where campaign_id = ? "
                            + "and reason = 'worker-lost'", String.class, campaign));
            assertThat(resent).as("sends settled after the kill").isNotEmpty();
            assertThat(resent).containsAll(duplicated);
            assertThat(resent).as("re-sent after the kill").hasSizeLessThanOrEqualTo(MAX_IN_FLIGHT);
            System.out.printf("drill (%s): %d recipients, %d received at the kill, %d claimed and %d under way at the "
                                      + "kill, %d re-sent after it, %d seen twice at the sink%n",
                              twoInstances ? "two instances" : "restart", RECIPIENTS, atKill, claimedAtKill,
                              underWayAtKill, resent.size(), duplicated.size());
        }
    }

    /** Recipients the worker's journal names as attempted with no outcome written down. */
    private static long underWay(JdbcTemplate jdbc, String worker) {
        return jdbc.queryForObject(
                "with a as (select distinct unnest(attempting) as id from delivery_journal where worker_id = ?), "
                        + "f as (select distinct (e ->> 'contactId')::uuid as id from delivery_journal j, "
                        + "jsonb_array_elements(j.finished) e where j.worker_id = ?) "
                        + "select count(*) from a where a.id not in (select id from f)", Long.class, worker, worker);
    }

    private static void seedContacts(JdbcTemplate jdbc, String audience, int count) {
        // the read model the segment and the sends read (the drill is about delivery, not about imports)
        jdbc.update("insert into contact (id, email, attributes, consent, created_at, updated_at, version) "
                            + "select gen_random_uuid(), 'drill-' || g || '@example.com', "
                            + "jsonb_build_object('audience', ?::text), '{}'::jsonb, now(), now(), 0 "
                            + "from generate_series(1, ?) g", audience, count);
    }

    private Process start(String database, int port, String name) throws Exception {
        return processes.start(database, port, name);
    }

    private static String jdbcUrl(String database) {
        return database;
    }

    private static int freePort() throws Exception {
        return HeraldProcesses.freePort();
    }
}
