package io.herald.saga.delivery;

import io.herald.api.delivery.DeliveryStatus;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.config.MigrationLayout;
import io.herald.saga.delivery.Deliveries.Claimed;
import io.herald.saga.delivery.Deliveries.Result;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settling a dead worker from its journal, on a real PostgreSQL: the outcomes it wrote down are recorded as
 * it would have recorded them (counters and failure log included), the group it was sending is settled as
 * sends under way (webhook: sent again; e-mail: UNKNOWN), the recipients it had not reached go back to the
 * queue with the claim's attempt taken back, and rows no journal claims (a worker of an earlier version) are
 * all settled as under way.
 */
class DeliveryJournalIT {

    private JdbcTemplate jdbc;
    private Deliveries deliveries;
    private DeliveryJournal journal;
    private DeliveryStore store;
    private final String campaign = "campaign-" + UUID.randomUUID();

    @BeforeEach
    void database() {
        String url = TestDatabases.newDatabase();
        Flyway.configure().dataSource(url, null, null).locations(MigrationLayout.LOCATIONS.toArray(String[]::new))
              .outOfOrder(true).load().migrate();
        DataSource dataSource = new DriverManagerDataSource(url);
        jdbc = new JdbcTemplate(dataSource);
        Clock clock = Clock.systemUTC();
        CampaignRuns runs = new CampaignRuns(dataSource, clock);
        FailureLog failureLog = new FailureLog(dataSource, clock);
        deliveries = new Deliveries(dataSource, clock, runs, failureLog);
        journal = new DeliveryJournal(dataSource, clock);
        store = new DeliveryStore(dataSource, clock, runs, deliveries, failureLog, journal);
    }

    private void campaign(String channel, int recipients) {
        jdbc.update("insert into delivery (campaign_id, contact_id, status, created_at, updated_at) "
                            + "select ?, gen_random_uuid(), 'PENDING', now(), now() from generate_series(1, ?)",
                    campaign, recipients);
        jdbc.update("insert into campaign_run (campaign_id, state, channel, frozen, audience, launched_at, updated_at) "
                            + "values (?, 'SENDING', ?, true, ?, now(), now())", campaign, channel, recipients);
    }

    private Map<String, String> statuses() {
        return jdbc.query("select contact_id, status from delivery where campaign_id = ?", rs -> {
            Map<String, String> map = new java.util.HashMap<>();
            while (rs.next()) {
                map.put(rs.getString(1), rs.getString(2));
            }
            return map;
        }, campaign);
    }

    private static Result sent(Claimed recipient) {
        return new Result(recipient.contactId(), DeliveryStatus.SENT, null, "msg-" + recipient.contactId(), null, null,
                          true, null);
    }

    private static Result failed(Claimed recipient) {
        return new Result(recipient.contactId(), DeliveryStatus.FAILED, "rejected", null, "550 no such user", null,
                          true, "FAILED");
    }

    @Test
    void aKilledEmailWorker_leavesOnlyItsGroupUnderWayUnknown_recordsWhatItFinished_andGivesBackTheRest() {
        campaign("EMAIL", 100);
        String worker = "worker-dead";
        UUID claim = UUID.randomUUID();
        List<Claimed> claimed = deliveries.claim(campaign, worker, 100);
        journal.claimed(worker, claim, campaign, claimed.stream().map(Claimed::contactId).toList());
        List<Claimed> first = claimed.subList(0, 32);
        List<Claimed> second = claimed.subList(32, 64);
        journal.write(worker, claim, 1, campaign, first.stream().map(Claimed::contactId).toList(), List.of());
        List<Result> firstOutcomes = first.stream().map(r -> r == first.get(0) ? failed(r) : sent(r)).toList();
        journal.write(worker, claim, 2, campaign, second.stream().map(Claimed::contactId).toList(), firstOutcomes);
        // killed while the second group was on its way

        DeliveryStore.Settlement settlement = store.settleDeadWorker(worker, 5);

        assertThat(settlement.underWay()).isEqualTo(32);
        assertThat(settlement.released()).isEqualTo(36);
        Map<String, String> statuses = statuses();
        assertThat(statuses.get(first.get(0).contactId())).isEqualTo("FAILED");
        first.subList(1, 32).forEach(r -> assertThat(statuses.get(r.contactId())).isEqualTo("SENT"));
        second.forEach(r -> assertThat(statuses.get(r.contactId())).isEqualTo("UNKNOWN"));
        claimed.subList(64, 100).forEach(r -> assertThat(statuses.get(r.contactId())).isEqualTo("PENDING"));
        // never attempted: the claim's attempt is taken back, no worker holds them
        assertThat(jdbc.queryForObject("select count(*) from delivery where campaign_id = ? and status = 'PENDING' "
                                               + "and attempts = 0 and worker_id is null", Integer.class, campaign))
                .isEqualTo(36);
        // the counters and the failure log as the worker would have written them, plus the unknown group
        Map<String, Object> run = jdbc.queryForMap("select sent, failed, unknown from campaign_run where campaign_id = ?",
                                                   campaign);
        assertThat(run).containsEntry("sent", 31L).containsEntry("failed", 1L).containsEntry("unknown", 32L);
        assertThat(jdbc.queryForList("select reason from delivery_failure where campaign_id = ?", String.class, campaign)
                           .stream().collect(Collectors.groupingBy(r -> r, Collectors.counting())))
                .containsEntry("rejected", 1L).containsEntry("worker-lost", 32L);
        assertThat(jdbc.queryForObject("select count(*) from delivery_journal where worker_id = ?", Integer.class,
                                       worker)).isZero();
        // what it reports: every settled row once
        assertThat(settlement.settled()).hasSize(64);
        assertThat(settlement.settled()).extracting(o -> o.recorded().contactId()).doesNotHaveDuplicates();
    }

    @Test
    void aKilledWebhookWorker_sendsItsGroupUnderWayAgain_andAWorkerWithoutJournal_isSettledWhole() {
        campaign("WEBHOOK", 50);
        String worker = "worker-dead";
        UUID claim = UUID.randomUUID();
        List<Claimed> claimed = deliveries.claim(campaign, worker, 40);
        journal.claimed(worker, claim, campaign, claimed.stream().map(Claimed::contactId).toList());
        journal.write(worker, claim, 1, campaign, claimed.subList(0, 16).stream().map(Claimed::contactId).toList(),
                      List.of());
        String older = "worker-of-an-earlier-version";
        List<Claimed> unjournaled = deliveries.claim(campaign, older, 10);

        DeliveryStore.Settlement settlement = store.settleDeadWorker(worker, 5);
        assertThat(settlement.underWay()).isEqualTo(16);
        assertThat(settlement.released()).isEqualTo(24);
        DeliveryStore.Settlement whole = store.settleDeadWorker(older, 5);
        assertThat(whole.underWay()).isEqualTo(10);
        assertThat(whole.released()).isZero();

        // webhooks under way go back to the queue to be sent again with their key, logged as worker-lost
        assertThat(jdbc.queryForObject("select count(*) from delivery where campaign_id = ? and status = 'PENDING'",
                                       Integer.class, campaign)).isEqualTo(50);
        assertThat(jdbc.queryForObject("select count(*) from delivery_failure where campaign_id = ? "
                                               + "and reason = 'worker-lost'", Integer.class, campaign)).isEqualTo(26);
        assertThat(jdbc.queryForObject("select count(*) from delivery where campaign_id = ? and attempts = 1",
                                       Integer.class, campaign)).isEqualTo(26);
        assertThat(unjournaled).hasSize(10);
    }

    @Test
    void theJournal_keepsEveryFieldOfAnOutcome() {
        campaign("WEBHOOK", 3);
        String worker = "worker-x";
        UUID claim = UUID.randomUUID();
        List<Claimed> claimed = deliveries.claim(campaign, worker, 3);
        journal.claimed(worker, claim, campaign, claimed.stream().map(Claimed::contactId).toList());
        Instant retryAt = Instant.parse("2030-01-02T03:04:05.678Z");
        Result retry = new Result(claimed.get(0).contactId(), DeliveryStatus.PENDING, "transient", null,
                                  "503 \"busy\" ; -- ünïcode", retryAt, true, "RETRY_SCHEDULED");
        journal.write(worker, claim, 1, campaign, List.of(claimed.get(0).contactId()), List.of());
        journal.write(worker, claim, 2, campaign, List.of(), List.of(retry));

        List<DeliveryJournal.ClaimState> claims = journal.claims(worker);
        assertThat(claims).hasSize(1);
        assertThat(claims.get(0).finished()).containsExactly(retry);
        assertThat(claims.get(0).underWay()).isEmpty();
        assertThat(claims.get(0).notReached()).hasSize(2);
        journal.clear(worker, claim);
        assertThat(journal.claims(worker)).isEmpty();
    }
}
