package io.herald.eventstore.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL left running on a data directory, found through the directory's {@code postmaster.pid}:
 * the embedded server of a Herald that died without stopping it ({@code kill -9}, a crash, killed while
 * it was starting). Herald stops it before starting its own, and only while it holds the directory's
 * {@link DataDirectoryLock}, so no running Herald uses the server it stops.
 * <p>
 * Stopping is PostgreSQL's fast shutdown (SIGINT to the postmaster: open transactions roll back,
 * everything committed stays, the server writes a checkpoint and exits); a server that has not stopped
 * within {@link #FAST_SHUTDOWN} is killed with its processes, and PostgreSQL's crash recovery brings the
 * directory back on the next start. A {@code postmaster.pid} naming a process that is gone, or a process
 * that is not that postmaster (its number reused since), is stale and removed.
 */
final class LeftoverPostmaster {

    static final Duration FAST_SHUTDOWN = Duration.ofSeconds(30);
    static final Duration KILL = Duration.ofSeconds(10);
    /** How far the process's start time may lie from the one the postmaster wrote (both are read to the second). */
    private static final long START_TIME_TOLERANCE_SECONDS = 5;

    private static final Logger log = LoggerFactory.getLogger(LeftoverPostmaster.class);

    private LeftoverPostmaster() {
    }

    /**
     * Makes sure no PostgreSQL runs on {@code directory} and no {@code postmaster.pid} is left in it.
     *
     * @throws IllegalStateException when a server on it cannot be stopped
     */
    static void clear(Path directory) {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        PidFile pid = PidFile.read(pidFile);
        if (pid == null && !Files.exists(pidFile)) {
            return; // its postmaster has just stopped
        }
        if (pid == null) {
            // a postmaster writes the file at once at its start; empty or cut short twice in a row, it is one
            // killed in that moment (and no process of it can be running on the directory without the file)
            log.warn("Removing an unreadable postmaster.pid from {} (left by a PostgreSQL killed as it started)", directory);
            delete(pidFile);
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.pid()).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || !isThePostmaster(process.get(), pid, directory)) {
            log.info("Removing a stale postmaster.pid from {}: its PostgreSQL (pid {}) is no longer running", directory,
                     pid.pid());
            delete(pidFile);
            return;
        }
        log.warn("A PostgreSQL (pid {}, port {}) is still running on {}, left by a Herald that ended without stopping it "
                 + "(killed, or crashed); no Herald holds the directory, so it is stopped now (fast shutdown)",
                 pid.pid(), pid.port(), directory);
        stop(process.get(), directory);
        log.warn("Stopped the leftover PostgreSQL (pid {}) on {}", pid.pid(), directory);
        if (Files.exists(pidFile)) {
            delete(pidFile); // it was killed: its postmaster.pid stays behind
        }
    }

    /** The process runs the PostgreSQL server binary and started when the postmaster wrote it did. */
    private static boolean isThePostmaster(ProcessHandle process, PidFile pid, Path directory) {
        ProcessHandle.Info info = process.info();
        if (info.command().isEmpty() && info.startInstant().isEmpty()) {
            throw new IllegalStateException(("postmaster.pid in %s names process %d, which Herald may not inspect "
                    + "(another user's?). If it is a PostgreSQL on that directory stop it, else delete postmaster.pid.")
                    .formatted(directory, pid.pid()));
        }
        boolean server = info.command()
                .map(command -> Path.of(command.replace(" (deleted)", "")).getFileName().toString())
                .map(name -> name.equals("postgres") || name.equals("postgres.exe"))
                .orElse(true);
        boolean started = info.startInstant()
                .map(instant -> Math.abs(instant.getEpochSecond() - pid.startedAt().getEpochSecond())
                        <= START_TIME_TOLERANCE_SECONDS)
                .orElse(true);
        return server && started;
    }

    private static void stop(ProcessHandle postmaster, Path directory) {
        List<ProcessHandle> processes = postmaster.descendants().toList(); // its server processes
        if (!requestFastShutdown(postmaster, directory)) {
            postmaster.destroy(); // SIGTERM, a smart shutdown: the same here, as the dead Herald's connections are gone
        }
        if (gone(postmaster, FAST_SHUTDOWN)) {
            return;
        }
        log.warn("The leftover PostgreSQL (pid {}) on {} did not stop within {}s; killing it and its {} processes "
                 + "(crash recovery brings the directory back at the start)", postmaster.pid(), directory,
                 FAST_SHUTDOWN.toSeconds(), processes.size());
        postmaster.destroyForcibly();
        processes.forEach(ProcessHandle::destroyForcibly);
        boolean allGone = gone(postmaster, KILL);
        for (ProcessHandle process : processes) {
            allGone &= gone(process, KILL);
        }
        if (!allGone) {
            throw new IllegalStateException(("Could not stop the PostgreSQL (pid %d) left running on %s; "
                    + "stop it, then start Herald again").formatted(postmaster.pid(), directory));
        }
    }

    /**
     * SIGINT to the postmaster, PostgreSQL's fast shutdown; on Windows, which has no signals, {@code pg_ctl stop -m fast}
     * with the binaries the server runs from. (Not pg_ctl everywhere: it refuses to run as root, and the library runs
     * the server for root in a user namespace of its own.) False when the request could not be made.
     */
    private static boolean requestFastShutdown(ProcessHandle postmaster, Path directory) {
        List<String> command;
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            Optional<Path> pgCtl = postmaster.info().command().map(Path::of)
                    .map(server -> server.resolveSibling("pg_ctl.exe")).filter(Files::isExecutable);
            if (pgCtl.isEmpty()) {
                return false;
            }
            command = List.of(pgCtl.get().toString(), "stop", "-D", directory.toString(), "-m", "fast", "-W");
        } else {
            // the shell's kill: a kill program is not installed everywhere (slim container images)
            command = List.of("/bin/sh", "-c", "kill -s INT " + postmaster.pid());
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            String said = output.get(5, TimeUnit.SECONDS).strip();
            if (process.exitValue() != 0) {
                log.warn("Could not ask the leftover PostgreSQL (pid {}) on {} to stop: {} exited with {} {}",
                         postmaster.pid(), directory, command, process.exitValue(), said);
                return false;
            }
            return true;
        } catch (IOException | ExecutionException | TimeoutException e) {
            log.warn("Could not ask the leftover PostgreSQL (pid {}) on {} to stop: {}", postmaster.pid(), directory,
                     e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the PostgreSQL left running on " + directory, e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean gone(ProcessHandle process, Duration within) {
        try {
            process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for PostgreSQL process " + process.pid(), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException("Could not remove " + file, e);
        }
    }

    /**
     * The first lines of {@code postmaster.pid}: the process id, the data directory, the start time (seconds
     * since the epoch) and the port.
     */
    record PidFile(long pid, Instant startedAt, int port) {

        /** The file's content, or null when it is empty or cut short (read twice, a moment apart, to be sure). */
        static PidFile read(Path file) {
            PidFile read = parse(file);
            if (read == null) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                read = parse(file);
            }
            return read;
        }

        private static PidFile parse(Path file) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() < 4) {
                    return null;
                }
                return new PidFile(Long.parseLong(lines.get(0).trim()), Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim())),
                                   Integer.parseInt(lines.get(3).trim()));
            } catch (IOException | NumberFormatException e) {
                return null;
            }
        }
    }
}
