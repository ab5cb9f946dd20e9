package io.herald.gateway.config;

import io.herald.eventstore.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database migrated before modules had migration folders of their own upgrades without a change:
 * the migrations applied by the old layout (only {@code classpath:db/migration}, checksums as Flyway
 * recorded them for the files of that time) are found by the application's locations with the same
 * checksums, nothing is pending, and a module's new migration numbered below another module's applied
 * one still runs.
 */
class MigrationUpgradeIT {

    /**
     * flyway_schema_history as a database migrated with the files of the layout before module
     * folders (all in the gateway's db/migration) records it: script and Flyway's checksum, taken
     * from such a database.
     */
    private static final Map<String, Integer> APPLIED_BEFORE = appliedBefore();

    /** Migrations added since, in the modules' own folders (each in its module's range), in the order they run. */
    private static final List<String> ADDED_SINCE = List.of("V1000__shared_files.sql",
                                                              "V1100__workers.sql",
                                                              "V3000__segment_flow_usage.sql",
                                                              "V3100__contact_import_job_worker.sql",
                                                              "V4000__campaign_summary_in_command_transaction.sql",
                                                              "V4001__flows.sql",
                                                              "V4002__messaging_policy.sql",
                                                              "V4003__campaign_transactional.sql",
                                                              "V4004__campaign_template.sql",
                                                              "V4010__campaign_failure.sql",
                                                              "V4100__webhook_subscriptions.sql",
                                                              "V4230__email_engagement.sql",
                                                              "V4231__email_engagement_by_kind.sql",
                                                              "V4240__campaign_report.sql",
                                                              "V4250__email_feedback.sql",
                                                              "V5000__delivery_journal.sql",
                                                              "V5001__flow_runs.sql",
                                                              "V5100__campaign_run_definition.sql",
                                                              "V5150__campaign_run_traceparent.sql",
                                                              "V5200__flow_sends_and_event_waits.sql",
                                                              "V5210__flow_run_by_contact.sql",
                                                              "V5300__webhooks.sql",
                                                              "V5420__flow_send_totals.sql",
                                                              "V5600__delivery_workers_in_registry.sql",
                                                              "V5730__email_engagement_state.sql",
                                                              "V5740__email_feedback.sql");

    @Test
    void aDatabaseOfTheOldLayout_validatesAndHasNothingPending_withTheApplicationsLocations() throws Exception {
        String url = TestDatabases.newDatabase();
        int applied = Flyway.configure().dataSource(url, null, null)
                            .locations("classpath:db/migration")
                            .load().migrate().migrationsExecuted;
        assertThat(applied).isEqualTo(APPLIED_BEFORE.size());
        assertThat(history(url)).isEqualTo(APPLIED_BEFORE);
        // a delivery worker of the old layout, killed an hour ago with a recipient claimed
        execute(url, "insert into delivery_worker (worker_id, host, started_at, heartbeat_at) values "
                + "('worker-old', 'gone', now() - interval '1 hour', now() - interval '1 hour')");

        Flyway upgraded = applicationFlyway(url).load();
        // the old migrations are found unchanged (same checksums): only the modules' new ones are pending
        assertThat(upgraded.info().pending()).extracting(MigrationInfo::getScript).containsExactlyElementsOf(ADDED_SINCE);
        for (MigrationInfo info : upgraded.info().applied()) {
            assertThat(info.getState()).as(info.getScript()).isEqualTo(MigrationState.SUCCESS);
        }
        assertThat(upgraded.migrate().migrationsExecuted).isEqualTo(ADDED_SINCE.size());
        upgraded.validate();
        assertThat(upgraded.info().pending()).isEmpty();
        Map<String, Integer> history = history(url);
        assertThat(history).containsAllEntriesOf(APPLIED_BEFORE);
        assertThat(history.keySet()).containsExactlyElementsOf(allScripts());
        // the delivery workers' leases moved to the platform's registry: the old worker is dead there, so a
        // survivor settles its claims as before
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select worker_id, kind, expires_at < now() from herald_worker")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("worker-old");
            assertThat(rows.getString(2)).isEqualTo("delivery");
            assertThat(rows.getBoolean(3)).isTrue();
            assertThat(rows.next()).isFalse();
        }
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> allScripts() {
        List<String> all = new ArrayList<>(APPLIED_BEFORE.keySet());
        all.addAll(ADDED_SINCE);
        return all;
    }

    @Test
    void aFreshDatabase_getsTheSameHistory() throws Exception {
        String url = TestDatabases.newDatabase();
        assertThat(applicationFlyway(url).load().migrate().migrationsExecuted)
                .isEqualTo(APPLIED_BEFORE.size() + ADDED_SINCE.size());
        Map<String, Integer> history = history(url);
        assertThat(history).containsAllEntriesOf(APPLIED_BEFORE);
        assertThat(history.keySet()).containsExactlyElementsOf(allScripts());
    }

    @Test
    void aModulesMigrationBelowAnotherModulesApplied_runsWithTheApplicationsSettings() throws Exception {
        String url = TestDatabases.newDatabase();
        List<String> later = new ArrayList<>(applicationLocations());
        later.add("classpath:db/upgrade-it/later");
        applicationFlyway(url).locations(later.toArray(String[]::new)).load().migrate();

        List<String> both = new ArrayList<>(later);
        both.add("classpath:db/upgrade-it/earlier");
        Flyway flyway = applicationFlyway(url).locations(both.toArray(String[]::new)).load();
        assertThat(flyway.info().pending()).extracting(MigrationInfo::getScript).containsExactly("V1001__earlier.sql");
        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(1);
        flyway.validate();
        assertThat(history(url)).containsKeys("V5999__later.sql", "V1001__earlier.sql");
    }

    /** Flyway as application.yml configures it. */
    private static FluentConfiguration applicationFlyway(String url) throws Exception {
        PropertySource<?> yml = applicationYml();
        assertThat(yml.getProperty("spring.flyway.out-of-order")).isEqualTo(true);
        return Flyway.configure().dataSource(url, null, null)
                     .locations(applicationLocations().toArray(String[]::new))
                     .outOfOrder(true);
    }

    private static List<String> applicationLocations() throws Exception {
        PropertySource<?> yml = applicationYml();
        List<String> locations = new ArrayList<>();
        for (int i = 0; yml.getProperty("spring.flyway.locations[" + i + "]") != null; i++) {
            locations.add(yml.getProperty("spring.flyway.locations[" + i + "]").toString());
        }
        assertThat(locations).isEqualTo(MigrationLayout.LOCATIONS);
        return locations;
    }

    private static PropertySource<?> applicationYml() throws Exception {
        return new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml")).getFirst();
    }

    private static Map<String, Integer> history(String url) throws Exception {
        Map<String, Integer> history = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT script, checksum FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            while (rows.next()) {
                history.put(rows.getString(1), rows.getInt(2));
            }
        }
        return history;
    }

    private static Map<String, Integer> appliedBefore() {
        Object[][] rows = {
                {"V1__axon_infrastructure.sql", 1394061139},
                {"V2__campaign_summary.sql", -1922419731},
                {"V10__identity.sql", 1914104293},
                {"V20__contacts.sql", 249973785},
                {"V21__tracking.sql", 2136895704},
                {"V22__segments.sql", 1666022350},
                {"V23__contact_imports.sql", -1499924039},
                {"V24__tracked_event_by_event_id.sql", -413348283},
                {"V30__delivery.sql", 827171616},
                {"V31__unsubscribe_secret.sql", -131885132},
                {"V32__delivery_daily.sql", 14151585},
                {"V33__anonymous_ids.sql", -1981396258},
                {"V34__contacts_imported_in_batches.sql", -462983733},
        };
        Map<String, Integer> history = new LinkedHashMap<>();
        Arrays.stream(rows).forEach(row -> history.put((String) row[0], (Integer) row[1]));
        return history;
    }
}
