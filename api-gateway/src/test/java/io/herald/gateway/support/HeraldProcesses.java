package io.herald.gateway.support;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Herald instances as separate JVM processes on one database, for the drills that kill one with SIGKILL
 * ({@code kill -9}: no shutdown hook, no graceful stop). Each logs to {@code target/drill-<name>-<port>.log}.
 * Closing kills whatever is still running.
 */
public final class HeraldProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();

    /** Starts an instance on {@code port} with the drills' settings plus {@code extra} ({@code --key=value}). */
    public Process start(String database, int port, String name, String... extra) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        File log = log(name, port);
        List<String> command = new ArrayList<>(List.of(
                java, "-Xmx512m", "-Daxoniq.update-checker.disabled=true", "-cp", System.getProperty("java.class.path"),
                "io.herald.gateway.HeraldApplication",
                "--herald.database.url=" + database, "--server.port=" + port, "--management.server.port=0",
                "--herald.rate-limits.enabled=false", "--herald.delivery.allow-private-targets=true",
                "--herald.delivery.worker.heartbeat=500ms", "--herald.delivery.worker.lease=3s",
                "--herald.delivery.worker.poll-interval=100ms"));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        processes.add(process);
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            assertThat(process.isAlive()).as("instance " + name + " died, see " + log).isTrue();
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                       .build(), HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
        });
        return process;
    }

    /** The log file of the instance {@code name} on {@code port}. */
    public static File log(String name, int port) {
        return new File("target/drill-" + name + "-" + port + ".log");
    }

    public static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}
