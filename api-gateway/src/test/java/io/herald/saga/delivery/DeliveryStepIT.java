package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.eventstore.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send window's one-statement step (record, journal, mark) against the statements it stands for, on a
 * real PostgreSQL migrated by Herald's scripts: the same rows change the same way.
 */
class DeliveryStepIT {

    private static final String WORKER = "worker-step";

    private JdbcTemplate jdbc;
    private Deliveries deliveries;
    private DeliveryStore store;
    private final String campaign = "campaign-" + UUID.randomUUID();

    @BeforeEach
    void database() {
        String url = TestDatabases.newDatabase();
        Flyway.configure().dataSource(url, null, null)
                .locations("classpath:db/migration", "classpath:db/sagas-migration").load().migrate();
        DataSource dataSource = new DriverManagerDataSource(url);
        jdbc = new JdbcTemplate(dataSource);
        Clock clock = Clock.systemUTC();
        CampaignRuns runs = new CampaignRuns(dataSource, clock);
        FailureLog failureLog = new FailureLog(dataSource, clock);
        deliveries = new Deliveries(dataSource, clock, runs, failureLog);
        store = new DeliveryStore(dataSource, clock, runs, deliveries, failureLog);
    }

    private List<String> pending(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            jdbc.update("insert into delivery (campaign_id, contact_id, status, created_at, updated_at) "
                                + "values (?, ?::uuid, 'PENDING', now(), now())", campaign, id);
            ids.add(id);
        }
        return ids;
    }

    private String status(String contactId) {
        return jdbc.queryForObject("select status || '/' || attempts || '/' || coalesce(worker_id, '-') from delivery "
                                           + "where campaign_id = ? and contact_id = ?::uuid", String.class,
                                   campaign, contactId);
    }

    @Test
    void recordsFinishedRows_journalsTheFinalOnes_andMarksTheNextGroup_inOneStatement() {
        List<String> ids = pending(6);
        assertThat(deliveries.claim(campaign, WORKER, 10)).hasSize(6);
        List<String> sent = ids.subList(0, 3);
        assertThat(deliveries.markSending(campaign, WORKER, sent)).hasSize(3);
        Instant retryAt = Instant.now().plusSeconds(60);
        List<Deliveries.Result> results = List.of(
                new Deliveries.Result(sent.get(0), DeliveryStatus.SENT, null, "p-1", null, null, true, null),
                new Deliveries.Result(sent.get(1), DeliveryStatus.FAILED, "rejected", null, "410", null, true, "FAILED"),
                new Deliveries.Result(sent.get(2), DeliveryStatus.PENDING, "transient", null, "503", retryAt, true,
                                      "RETRY_SCHEDULED"),
                // reserved, never sent: skipped
                new Deliveries.Result(ids.get(3), DeliveryStatus.SKIPPED, "unsubscribed", null, null, null, false, null));

        DeliveryStore.Step step = store.recordJournalAndMark(campaign, Channel.WEBHOOK, WORKER, results, Set.copyOf(sent),
                                                             "batch-1", List.of(ids.get(4), ids.get(5)));

        assertThat(step.recorded()).extracting(Deliveries.Recorded::contactId, Deliveries.Recorded::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(sent.get(0), DeliveryStatus.SENT),
                                           org.assertj.core.groups.Tuple.tuple(sent.get(1), DeliveryStatus.FAILED),
                                           org.assertj.core.groups.Tuple.tuple(sent.get(2), DeliveryStatus.PENDING),
                                           org.assertj.core.groups.Tuple.tuple(ids.get(3), DeliveryStatus.SKIPPED));
        assertThat(step.marked()).extracting(Deliveries.Claimed::contactId, Deliveries.Claimed::attempts)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(ids.get(4), 1),
                                           org.assertj.core.groups.Tuple.tuple(ids.get(5), 1));
        assertThat(status(sent.get(0))).isEqualTo("SENT/1/-");
        assertThat(status(sent.get(1))).isEqualTo("FAILED/1/-");
        assertThat(status(sent.get(2))).isEqualTo("PENDING/1/-");
        assertThat(status(ids.get(3))).isEqualTo("SKIPPED/0/-");
        assertThat(status(ids.get(4))).isEqualTo("SENDING/1/" + WORKER);
        assertThat(status(ids.get(5))).isEqualTo("SENDING/1/" + WORKER);
        // the final outcomes (not the retry) are journaled under the batch, not counted yet
        List<String> journaled = jdbc.queryForList("select unnest(contact_ids)::text from delivery_unreported "
                                                           + "where batch_id = 'batch-1' and worker_id = ?",
                                                   String.class, WORKER);
        assertThat(journaled).containsExactlyInAnyOrder(sent.get(0), sent.get(1), ids.get(3));
        // the failure log has the failure and the retry, as record writes them
        assertThat(jdbc.queryForList("select outcome from delivery_failure where campaign_id = ?", String.class,
                                     campaign)).containsExactlyInAnyOrder("FAILED", "RETRY_SCHEDULED");

        // a second step appends to the same journal row
        DeliveryStore.Step next = store.recordJournalAndMark(
                campaign, Channel.WEBHOOK, WORKER,
                List.of(new Deliveries.Result(ids.get(4), DeliveryStatus.SENT, null, "p-5", null, null, true, null)),
                Set.of(ids.get(4)), "batch-1", List.of());
        assertThat(next.recorded()).hasSize(1);
        assertThat(next.marked()).isEmpty();
        assertThat(jdbc.queryForObject("select cardinality(contact_ids) from delivery_unreported where batch_id = 'batch-1'",
                                       Integer.class)).isEqualTo(4);
    }

    @Test
    void rowsNoLongerHeldByTheWorker_areNeitherRecordedNorMarked() {
        List<String> ids = pending(3);
        deliveries.claim(campaign, WORKER, 10);
        deliveries.markSending(campaign, WORKER, List.of(ids.get(0)));
        // a survivor settled this worker meanwhile: its SENDING row is UNKNOWN, its reservation released
        jdbc.update("update delivery set status = 'UNKNOWN', worker_id = null where contact_id = ?::uuid", ids.get(0));
        jdbc.update("update delivery set worker_id = null where contact_id = ?::uuid", ids.get(1));

        DeliveryStore.Step step = store.recordJournalAndMark(
                campaign, Channel.WEBHOOK, WORKER,
                List.of(new Deliveries.Result(ids.get(0), DeliveryStatus.SENT, null, "p", null, null, true, null)),
                Set.of(ids.get(0)), "batch-2", List.of(ids.get(1), ids.get(2)));

        assertThat(step.recorded()).isEmpty();
        assertThat(step.marked()).extracting(Deliveries.Claimed::contactId).containsExactly(ids.get(2));
        assertThat(status(ids.get(0))).isEqualTo("UNKNOWN/1/-");
        assertThat(status(ids.get(1))).isEqualTo("PENDING/0/-");
        assertThat(jdbc.queryForObject("select count(*) from delivery_unreported", Integer.class)).isZero();
    }
}
