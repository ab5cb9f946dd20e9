package io.herald.gateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationLayoutTest {

    /** SHA-256 of each migration as it was applied before modules had folders of their own. */
    private static final Map<String, String> APPLIED_BYTES = Map.ofEntries(
            Map.entry("V1__axon_infrastructure.sql",
                      "fb9c1ee93cc88096422aaf1327d31492089b525af2ed1447f32a189ae8f32898"),
            Map.entry("V2__campaign_summary.sql",
                      "2be99b3c9add1fdfc900e5c59ff0673834ffdce60557c0469879cc378613caf6"),
            Map.entry("V10__identity.sql",
                      "3617b427368baaa2c7d82ca445742469b64ecc018cbf19bfea9817305ba5595d"),
            Map.entry("V20__contacts.sql",
                      "51db926a57154094787b85dee01c6a01c1c6caa188f394702f952a939c7c7693"),
            Map.entry("V21__tracking.sql",
                      "c0aa7c0e955e5a775a8e749070f824bc13fd85670e1ca19218a85cc5c860b4fa"),
            Map.entry("V22__segments.sql",
                      "a15507b99685dcf2832e1fa797df9804be901581ea22160e7d65033a2e15de34"),
            Map.entry("V23__contact_imports.sql",
                      "c5c1a89afa1c01fdbc45427777c8e57c0eab304a0d2f694754ca9bbe42d10eef"),
            Map.entry("V24__tracked_event_by_event_id.sql",
                      "4d0c12a0460f6ce2082dce8355b53431a7b0c495575aeb5b8abf1721bf38a54c"),
            Map.entry("V30__delivery.sql",
                      "89bd04ccf53189a91459c84d0df550e03cccb2c0439d1b62ac1da5be17619f04"),
            Map.entry("V31__unsubscribe_secret.sql",
                      "ad5871d44de95435cd5797505abe19275ebbfbdb346cf04f6d34b8c40ba2e014"),
            Map.entry("V32__delivery_daily.sql",
                      "c88967b08ea9b1924418089b2868c33e7e52eecfd9ade1cb5348837ea4c567f9"),
            Map.entry("V33__anonymous_ids.sql",
                      "0cbc1754f9a15ff6152d588629bdda1366108ad7e62059faea506db536a10f0b"),
            Map.entry("V34__contacts_imported_in_batches.sql",
                      "7f564d0797b80019ee6ea740c7ff7a1b0127141f84a85b826d7c524e47b3f316")
    );

    @TempDir
    Path root;

    @Test
    void theApplicationsClasspath_passesWithTheApplicationsSettings() {
        assertThatCode(() -> MigrationLayout.check(getClass().getClassLoader(), MigrationLayout.LOCATIONS, true))
                .doesNotThrowAnyException();
    }

    @Test
    void theMigrationsAppliedBefore_areOnTheClasspathOnce_atTheirPath_withTheirBytes() throws Exception {
        assertThat(MigrationLayout.SHARED_MIGRATIONS).isEqualTo(APPLIED_BYTES.keySet());
        var resolver = new PathMatchingResourcePatternResolver(getClass().getClassLoader());
        for (Map.Entry<String, String> migration : APPLIED_BYTES.entrySet()) {
            Resource[] found = resolver.getResources("classpath*:db/migration/" + migration.getKey());
            assertThat(found).as(migration.getKey()).hasSize(1);
            try (InputStream in = found[0].getInputStream()) {
                String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
                assertThat(sha256).as(migration.getKey()).isEqualTo(migration.getValue());
            }
        }
    }

    @Test
    void aLayoutLikeTheApplications_passes() throws Exception {
        layout();
        file("db/migration/V1__axon_infrastructure.sql");
        file("db/eventstore-migration/V1000__first.sql");
        file("db/eventstore-migration/V1999.2__dotted.sql");
        file("db/sagas-migration/R__repeatable.sql");
        assertThatCode(() -> check(MigrationLayout.LOCATIONS, true)).doesNotThrowAnyException();
    }

    @Test
    void aNewFileInTheSharedFolder_isRefused() throws Exception {
        layout();
        file("db/migration/V36__new_table.sql");
        assertThatThrownBy(() -> check(MigrationLayout.LOCATIONS, true))
                .hasMessageContaining("db/migration/V36__new_table.sql: db/migration holds only the migrations applied before");
    }

    @Test
    void aFileInASubfolderOfTheSharedFolder_isRefused() throws Exception {
        layout();
        file("db/migration/identity/V2000__keys.sql");
        assertThatThrownBy(() -> check(MigrationLayout.LOCATIONS, true))
                .hasMessageContaining("db/migration/identity/V2000__keys.sql: db/migration holds only");
    }

    @Test
    void aVersionOutsideItsModulesRange_isRefused() throws Exception {
        layout();
        file("db/eventstore-migration/V2000__wrong_range.sql");
        file("db/sagas-migration/V36__below_every_range.sql");
        assertThatThrownBy(() -> check(MigrationLayout.LOCATIONS, true))
                .hasMessageContaining("db/eventstore-migration/V2000__wrong_range.sql: version 2000 is outside the "
                                              + "eventstore module's range 1000-1999")
                .hasMessageContaining("db/sagas-migration/V36__below_every_range.sql: version 36 is outside the "
                                              + "sagas module's range 5000-5999");
    }

    @Test
    void overlappingRanges_andAMalformedRange_areRefused() throws Exception {
        layout();
        Files.writeString(root.resolve("db/query-migration/flyway-range.properties"), "module=query-side\nversions=3500-4999\n");
        Files.writeString(root.resolve("db/sagas-migration/flyway-range.properties"), "module=sagas\nversions=5000\n");
        assertThatThrownBy(() -> check(MigrationLayout.LOCATIONS, true))
                .hasMessageContaining("the migration ranges of command-side (3000-3999) and query-side (3500-4999) overlap")
                .hasMessageContaining("db/sagas-migration/flyway-range.properties: versions must be <from>-<to>");
    }

    @Test
    void aModuleFolderWithoutItsRange_isRefused() throws Exception {
        layout();
        Files.delete(root.resolve("db/identity-migration/flyway-range.properties"));
        assertThatThrownBy(() -> check(MigrationLayout.LOCATIONS, true))
                .hasMessageContaining("db/identity-migration/flyway-range.properties: expected once on the classpath, found 0 times");
    }

    @Test
    void aLocationMissingFromTheSettings_orOutOfOrderOff_isRefused_namingTheSetting() throws Exception {
        layout();
        List<String> withoutSagas = new ArrayList<>(MigrationLayout.LOCATIONS);
        withoutSagas.remove("classpath:db/sagas-migration");
        assertThatThrownBy(() -> check(withoutSagas, false))
                .hasMessageContaining("spring.flyway.locations must list classpath:db/sagas-migration")
                .hasMessageContaining("spring.flyway.out-of-order must be true");
    }

    /** The five module folders with the ranges the modules declare. */
    private void layout() throws Exception {
        range("eventstore", "eventstore", "1000-1999");
        range("identity", "identity", "2000-2999");
        range("command", "command-side", "3000-3999");
        range("query", "query-side", "4000-4999");
        range("sagas", "sagas", "5000-5999");
    }

    private void range(String folder, String module, String versions) throws Exception {
        Path file = root.resolve("db/" + folder + "-migration/flyway-range.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "module=" + module + "\nversions=" + versions + "\n");
    }

    private void file(String path) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "SELECT 1;\n");
    }

    private void check(List<String> locations, boolean outOfOrder) throws Exception {
        try (URLClassLoader classLoader = new URLClassLoader(new URL[]{root.toUri().toURL()}, null)) {
            MigrationLayout.check(classLoader, locations, outOfOrder);
        }
    }
}
