package io.herald.saga.delivery;

import io.herald.eventstore.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A claim takes at most its limit, whatever plan PostgreSQL picks. Found in the delivery benchmark: on a
 * freshly frozen audience (no statistics yet) the planner put the {@code LIMIT … FOR UPDATE SKIP LOCKED}
 * subquery on the inner side of a nested loop, re-ran it per outer row, and each run locked the next rows: a
 * claim of 500 took all 3,000 recipients, marked them SENDING at once, and the contact lookup (at most 1,000
 * ids) left the rest SKIPPED as "contact-missing" although they existed.
 */
class DeliveryClaimIT {

    private JdbcTemplate jdbc;
    private Deliveries deliveries;
    private final String campaign = "campaign-" + UUID.randomUUID();

    @BeforeEach
    void database() {
        String url = TestDatabases.newDatabase();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();
        DataSource dataSource = new DriverManagerDataSource(url);
        jdbc = new JdbcTemplate(dataSource);
        Clock clock = Clock.systemUTC();
        CampaignRuns runs = new CampaignRuns(dataSource, clock);
        deliveries = new Deliveries(dataSource, clock, runs, new FailureLog(dataSource, clock));
        // an audience just written, as a freeze leaves it: no ANALYZE has seen these rows
        jdbc.update("insert into delivery (campaign_id, contact_id, status, created_at, updated_at) "
                            + "select ?, gen_random_uuid(), 'PENDING', now(), now() from generate_series(1, 3000)", campaign);
        jdbc.update("insert into campaign_run (campaign_id, state, launched_at, updated_at) values (?, 'SENDING', now(), now())",
                    campaign);
    }

    private int count(String status) {
        return jdbc.queryForObject("select count(*) from delivery where campaign_id = ? and status = ?", Integer.class,
                                   campaign, status);
    }

    @Test
    void aClaim_takesAtMostItsLimit_onAFreshAudience() {
        assertThat(deliveries.claim(campaign, "worker-a", 500)).hasSize(500);
        assertThat(count("SENDING")).isEqualTo(500);
        assertThat(deliveries.claim(campaign, "worker-b", 500)).hasSize(500);
        assertThat(count("SENDING")).isEqualTo(1000);
    }

    @Test
    void cancelling_skipsAtMostItsLimitPerCall() {
        assertThat(deliveries.skipCancelled(campaign, "cancelled", 2_000)).hasSize(2_000);
        assertThat(count("SKIPPED")).isEqualTo(2_000);
        assertThat(count("PENDING")).isEqualTo(1_000);
    }
}
