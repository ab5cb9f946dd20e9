package io.herald.eventstore.database;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes one Herald at a time own an embedded PostgreSQL data directory: an operating-system lock on
 * the file {@code <directory>.lock} beside it (for {@code data/postgres}: {@code data/postgres.lock}),
 * held as long as Herald runs. The operating system drops the lock when the process ends however it
 * ends, {@code kill -9} included, so a free lock means that no running Herald uses the directory. The
 * file holds the owner's process id, for people.
 */
final class DataDirectoryLock implements AutoCloseable {

    /**
     * The lock files this JVM holds. A second application in the JVM is refused from here, without opening the
     * file again: closing another channel on a locked file releases the JVM's lock on it on POSIX systems.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code directory} (absolute and normalised).
     *
     * @throws IllegalStateException when another Herald (another process, or another application in this JVM) holds it
     */
    static DataDirectoryLock acquire(Path directory) {
        Path file = fileOf(directory);
        if (!HELD.add(file)) {
            throw inUse(directory, file, "in this JVM");
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw inUse(directory, file, "in this JVM"); // the same file under another name
            }
            if (lock == null) {
                String owner = owner(channel);
                throw inUse(directory, file, owner.isEmpty() ? "" : "process " + owner);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new DataDirectoryLock(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            HELD.remove(file);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Could not lock " + file + " for the embedded PostgreSQL in " + directory, e);
        }
    }

    private static IllegalStateException inUse(Path directory, Path file, String owner) {
        return new IllegalStateException(("Another Herald is using the embedded PostgreSQL in %s (it holds %s%s). "
                + "Stop that one first, or give this one a data directory of its own (HERALD_DATA_DIR).")
                .formatted(directory, file, owner.isEmpty() ? "" : ", " + owner));
    }

    static Path fileOf(Path directory) {
        Path name = directory.getFileName();
        if (name == null) {
            throw new IllegalStateException("The embedded PostgreSQL needs a data directory below the root, not " + directory);
        }
        return directory.resolveSibling(name + ".lock");
    }

    Path file() {
        return file;
    }

    /** Whoever wrote the lock file, as far as it can be read while locked (on some systems it cannot). */
    private static String owner(FileChannel channel) {
        try {
            ByteBuffer content = ByteBuffer.allocate(32);
            channel.read(content, 0);
            return new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel
            }
        }
    }

    /** Releases the lock; the file stays (deleting it would race with a Herald starting at the same time). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        HELD.remove(file);
    }
}
