package io.herald.gateway.role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.contact.Multipart;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code HERALD_ROLE} on real starts: {@code migrate} migrates and exits 0, an unknown role refuses to
 * start, and an {@code api} and a {@code worker} instance on one PostgreSQL split the work: the api answers
 * writes and runs no worker and no saga, the worker answers only the actuator, and an import uploaded to
 * the api is completed by the worker.
 */
class HeraldRolesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path shared;

    @Test
    void migrate_appliesTheMigrations_startsNothingElse_andExitsZero() throws Exception {
        String database = TestDatabases.newDatabase();
        Path log = shared.resolve("migrate.log");
        Process herald = child(log, "migrate", database);
        assertThat(herald.waitFor(2, TimeUnit.MINUTES)).as("exited").isTrue();
        assertThat(herald.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("Herald migrations applied").doesNotContain("Herald is ready");
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(database));
        assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where success", Long.class))
                .isGreaterThan(10);
        // no processor ever ran: Axon did not start
        assertThat(jdbc.queryForObject("select count(*) from token_entry", Long.class)).isZero();
        // a second run finds nothing to do and exits 0 as well
        Process again = child(shared.resolve("migrate-again.log"), "migrate", database);
        assertThat(again.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(again.exitValue()).isZero();
    }

    @Test
    void anUnknownRole_refusesToStart_namingTheSetting() throws Exception {
        Path log = shared.resolve("unknown.log");
        Process herald = child(log, "scheduler", TestDatabases.newDatabase());
        assertThat(herald.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(herald.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("HERALD_ROLE").contains("'scheduler'")
                .contains("all, api, worker, migrate");
    }

    @Test
    void apiAndWorker_onOneDatabase_splitTheWork_andAnImportUploadedToTheApiIsDoneByTheWorker() throws Exception {
        String database = TestDatabases.newDatabase();
        // no disk in common: each instance has an imports directory of its own; uploads wait in PostgreSQL
        try (HeraldInstance api = HeraldInstance.start(database, "herald.role=api",
                                                       "herald.imports.directory=" + shared.resolve("api"));
             HeraldInstance worker = HeraldInstance.start(database, "herald.role=worker",
                                                          "herald.imports.directory=" + shared.resolve("worker"),
                                                          "herald.imports.poll-interval=500ms")) {
            // the api: writes answered with the read model (read-your-writes), no workers, no saga segments
            String token = TestAuth.admin(api.api());
            ApiClient client = TestAuth.asAdmin(api.api());
            ApiClient.Response created = client.post("/api/contacts",
                                                     "{\"email\":\"role-" + UUID.randomUUID() + "@example.com\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(beanNames(api, "io.herald.command.contact.ContactImportWorker")).isFalse();
            assertThat(beanNames(api, "io.herald.saga.delivery.DeliveryWorker")).isFalse();
            assertThat(beanNames(worker, "io.herald.command.contact.ContactImportWorker")).isTrue();
            assertThat(beanNames(worker, "io.herald.saga.delivery.DeliveryWorker")).isTrue();

            PooledStreamingEventProcessor apiSend = sendSaga(api);
            PooledStreamingEventProcessor workerSend = sendSaga(worker);
            await().atMost(Duration.ofSeconds(30)).until(() -> !workerSend.processingStatus().isEmpty());
            assertThat(apiSend.isRunning()).isTrue();
            assertThat(apiSend.processingStatus()).as("segments the api claimed").isEmpty();
            // a saga processor that claims nothing is still healthy (load balancers ask /actuator/health)
            assertThat(api.api().get("/actuator/health").status()).isEqualTo(200);

            // the worker: only the actuator
            ApiClient workerHttp = worker.api();
            assertThat(workerHttp.get("/actuator/health").status()).isEqualTo(200);
            ApiClient.Response refused = workerHttp.get("/api/contacts");
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.body()).contains("role.worker");
            assertThat(worker.api().get("/").status()).isEqualTo(404);

            // an import uploaded to the api is run by the worker
            StringBuilder csv = new StringBuilder("Email,Plan\n");
            for (int i = 0; i < 250; i++) {
                csv.append("role-import-").append(i).append("@example.com,pro\n");
            }
            HttpResponse<String> started = Multipart.postImport(api.port(), token,
                                                                csv.toString().getBytes(StandardCharsets.UTF_8),
                                                                "{\"email\":\"Email\",\"attributes\":[{\"column\":\"Plan\"}]}",
                                                                "UPSERT");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String importId = JSON.readTree(started.body()).get("id").asText();
            JsonNode[] view = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                view[0] = client.get("/api/contacts/imports/" + importId).json();
                return !"RUNNING".equals(view[0].path("state").asText());
            });
            assertThat(view[0].get("state").asText()).as(view[0].toString()).isEqualTo("COMPLETED");
            assertThat(view[0].get("created").asLong()).isEqualTo(250);
            // the upload waited in PostgreSQL, never on a disk, and is gone once the import is done
            assertThat(shared.resolve("api")).doesNotExist();
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(database));
            assertThat(jdbc.queryForObject("select count(*) from herald_shared_file_chunk", Long.class)).isZero();
        }
    }

    /** True when the instance has a bean of this class (named, as some are package-private). */
    private static boolean beanNames(HeraldInstance instance, String type) throws ClassNotFoundException {
        try {
            instance.bean(Class.forName(type));
            return true;
        } catch (org.springframework.beans.factory.NoSuchBeanDefinitionException e) {
            return false;
        }
    }

    private static PooledStreamingEventProcessor sendSaga(HeraldInstance instance) {
        return instance.bean(EventProcessingConfiguration.class)
                .eventProcessor("campaign-send", PooledStreamingEventProcessor.class)
                .orElseThrow();
    }

    private static Process child(Path log, String role, String database) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java, "-Xmx384m", "-Daxoniq.update-checker.disabled=true", "-Daxoniq.update-check.disabled=true",
                "-cp", System.getProperty("java.class.path"), "io.herald.gateway.HeraldApplication",
                "--server.port=0", "--server.address=127.0.0.1",
                "--herald.database.url=" + database,
                "--herald.data-dir=" + Files.createTempDirectory("herald-role"),
                "--herald.rate-limits.enabled=false"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HERALD_ROLE", role);
        return builder.start();
    }
}
