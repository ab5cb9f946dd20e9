package io.herald.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.eventstore.database.EmbeddedPostgresServer;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.contact.Multipart;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded default after a crash: Herald started as a user starts it (its own JVM, no database
 * configured), killed with SIGKILL, leaves its PostgreSQL running on the data directory; the next
 * start stops that one and comes up with the data, and resumes an import the killed one was running at
 * once. A second Herald on a directory in use refuses.
 */
class EmbeddedDatabaseCrashIT {

    @TempDir
    Path dataDir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        // whatever PostgreSQL these instances left behind: the test leaves no process running
        postmasterPid().flatMap(ProcessHandle::of).ifPresent(postmaster -> {
            postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
            postmaster.destroyForcibly();
            postmaster.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    /** With the default (a free port for the database at each start) and with a fixed one, which the leftover holds. */
    @ParameterizedTest(name = "database port fixed: {0}")
    @ValueSource(booleans = {false, true})
    void killNine_leavesItsPostgresRunning_theNextStartStopsItAndComesUpWithTheData(boolean fixedDatabasePort)
            throws Exception {
        String databasePort = "--herald.database.embedded.port=" + (fixedDatabasePort ? freePort() : 0);
        int firstPort = freePort();
        Process first = start(firstPort, "first", databasePort);
        awaitUp(first, firstPort, "first");
        ApiClient api = TestAuth.asAdmin(new ApiClient(firstPort));
        var created = api.post("/api/campaigns", CampaignApiITSupport.EMAIL_BODY);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        long leftoverPid = postmasterPid().orElseThrow();

        first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, the embedded PostgreSQL is not stopped
        ProcessHandle leftover = ProcessHandle.of(leftoverPid).orElse(null);
        assertThat(leftover).as("the killed Herald's PostgreSQL is left running").isNotNull();
        assertThat(leftover.isAlive()).isTrue();

        int secondPort = freePort();
        Process second = start(secondPort, "second", databasePort);
        awaitUp(second, secondPort, "second");
        assertThat(leftover.isAlive()).as("the leftover PostgreSQL was stopped").isFalse();
        assertThat(Files.readString(log("second"))).containsPattern(
                "WARN .*" + leftoverPid + ".*" + Pattern.quote(postgresDirectory().toString()));
        ApiClient after = TestAuth.asAdmin(new ApiClient(secondPort));
        var found = after.get("/api/campaigns/" + id);
        assertThat(found.status()).as(found.toString()).isEqualTo(200);
        assertThat(found.json().get("name").asText()).isEqualTo("Winter sale");
        assertThat(after.post("/api/campaigns", CampaignApiITSupport.EMAIL_BODY.replace("Winter sale", "Spring sale"))
                           .status()).isEqualTo(201);

        // and a clean stop stops the embedded PostgreSQL with it
        long secondPostmaster = postmasterPid().orElseThrow();
        second.destroy(); // SIGTERM: Spring's shutdown
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        ProcessHandle.of(secondPostmaster).ifPresent(postmaster -> postmaster.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }

    /**
     * The import worker's lease is set far longer than the test waits: with an external database the killed
     * worker's import would wait for it to run out, but no other process can have used the embedded database, so
     * the restarted instance declares the old process's workers dead at once and resumes at its first look.
     */
    @Test
    void killNineMidImport_theRestartedInstanceResumesItAtOnce_notAfterTheLease() throws Exception {
        String[] settings = {"--herald.imports.batch-size=100", "--herald.imports.heartbeat=5s",
                "--herald.imports.lease=10m"};
        int rows = 60_000;
        int firstPort = freePort();
        Process first = start(firstPort, "first", settings);
        awaitUp(first, firstPort, "first");
        ApiClient api = new ApiClient(firstPort);
        StringBuilder csv = new StringBuilder("Email,Plan\n");
        for (int i = 0; i < rows; i++) {
            csv.append("crash-").append(i).append("@example.com,p").append(i % 7).append('\n');
        }
        HttpResponse<String> started = Multipart.postImport(firstPort, TestAuth.admin(api),
                                                            csv.toString().getBytes(StandardCharsets.UTF_8),
                                                            "{\"email\":\"Email\",\"attributes\":[{\"column\":\"Plan\"}]}",
                                                            "UPSERT");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String importId = new ObjectMapper().readTree(started.body()).get("id").asText();
        ApiClient admin = TestAuth.asAdmin(api);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long readAtKill = 0;
        while (readAtKill < 500) {
            assertThat(System.nanoTime()).as("the import gets going").isLessThan(deadline);
            readAtKill = admin.get("/api/contacts/imports/" + importId).json().get("rowsRead").asLong();
            Thread.sleep(20);
        }
        first.destroyForcibly().waitFor(); // SIGKILL mid-import: its worker's lease has ten minutes left
        assertThat(readAtKill).as("interrupted mid-import").isLessThan(rows);

        int secondPort = freePort();
        Process second = start(secondPort, "second", settings);
        awaitUp(second, secondPort, "second");
        ApiClient after = TestAuth.asAdmin(new ApiClient(secondPort));
        JsonNode view = null;
        deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (view == null || view.get("state").asText().equals("RUNNING")) {
            assertThat(System.nanoTime()).as("the restarted instance finishes the import long before the lease ends: "
                                                     + view).isLessThan(deadline);
            Thread.sleep(250);
            var response = after.get("/api/contacts/imports/" + importId);
            view = response.status() == 200 ? response.json() : null;
        }
        assertThat(view.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(view.get("rowsRead").asLong()).isEqualTo(rows);
        assertThat(view.get("created").asLong()).isEqualTo(rows);
        assertThat(Files.readString(log("second"))).contains("takes over the imports they held");
    }

    @Test
    void secondHeraldOnADirectoryInUse_refusesWithAClearMessage_andTheFirstKeepsWorking() throws Exception {
        int firstPort = freePort();
        Process first = start(firstPort, "first");
        awaitUp(first, firstPort, "first");
        ApiClient api = TestAuth.asAdmin(new ApiClient(firstPort));
        var created = api.post("/api/campaigns", CampaignApiITSupport.EMAIL_BODY);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        long postmaster = postmasterPid().orElseThrow();

        Process second = start(freePort(), "second");
        assertThat(second.waitFor(2, TimeUnit.MINUTES)).as("the second Herald gives up").isTrue();
        assertThat(second.exitValue()).isNotZero();
        assertThat(Files.readString(log("second")))
                .contains("Another Herald is using the embedded PostgreSQL in " + postgresDirectory());

        assertThat(first.isAlive()).isTrue();
        assertThat(postmasterPid()).contains(postmaster);
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isTrue();
        assertThat(api.get("/api/campaigns/" + id).status()).isEqualTo(200);
        assertThat(api.post("/api/campaigns", CampaignApiITSupport.EMAIL_BODY.replace("Winter sale", "Spring sale"))
                           .status()).isEqualTo(201);
    }

    /** postmaster.pid naming a live process that is not a PostgreSQL (its number reused): PostgreSQL alone refuses. */
    @Test
    void stalePostmasterPid_namingAnotherLiveProcess_doesNotBlockTheStart() throws Exception {
        EmbeddedPostgresServer.start(postgresDirectory(), 0).close();
        Process decoy = new ProcessBuilder("sleep", "120").start();
        processes.add(decoy);
        Files.writeString(postgresDirectory().resolve("postmaster.pid"), String.join("\n", Long.toString(decoy.pid()),
                postgresDirectory().toString(), Long.toString(System.currentTimeMillis() / 1000), "5999", "/tmp",
                "127.0.0.1", "  5999001         0", "ready   ", ""));
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(postgresDirectory(), 0)) {
            assertThat(server.port()).isPositive();
            assertThat(postmasterPid()).isPresent().get().isNotEqualTo(decoy.pid());
        }
        assertThat(decoy.isAlive()).as("the process the stale file named is left alone").isTrue();
    }

    @Test
    void fixedDatabasePortTakenByAnotherProgram_refusesWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(postgresDirectory(), port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + port + " on 127.0.0.1")
                    .hasMessageContaining("in use by another program");
        }
        // and it let go of the directory
        EmbeddedPostgresServer.start(postgresDirectory(), 0).close();
    }

    private Path postgresDirectory() {
        return dataDir.resolve("postgres").toAbsolutePath().normalize();
    }

    private Optional<Long> postmasterPid() {
        Path pidFile = postgresDirectory().resolve("postmaster.pid");
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Path log(String name) {
        return Path.of("target", "embedded-crash-" + dataDir.getFileName() + "-" + name + ".log").toAbsolutePath();
    }

    /** Herald as the README starts it, in a JVM of its own: no database configured, so the embedded default. */
    private Process start(int port, String name, String... extraArguments) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java, "-Xmx512m", "-Daxoniq.update-checker.disabled=true", "-Daxoniq.update-check.disabled=true",
                "-cp", System.getProperty("java.class.path"), "io.herald.gateway.HeraldApplication",
                "--server.port=" + port, "--management.server.port=0", "--herald.data-dir=" + dataDir, "--herald.database.url=",
                "--spring.datasource.url=", "--herald.rate-limits.enabled=false"));
        command.addAll(List.of(extraArguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile())).start();
        processes.add(process);
        return process;
    }

    private void awaitUp(Process process, int port, String name) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = Files.readString(log(name));
                throw new AssertionError("Herald (" + name + ") exited with " + process.exitValue() + ":\n"
                        + output.substring(Math.max(0, output.length() - 4000)));
            }
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Herald (" + name + ") did not come up within 2 minutes, see " + log(name));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
