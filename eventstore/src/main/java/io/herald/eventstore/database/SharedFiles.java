package io.herald.eventstore.database;

import io.herald.eventstore.files.PieceWriter;
import io.herald.eventstore.files.S3Files;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Files every instance reaches, whichever instance wrote them: in PostgreSQL (table
 * {@code herald_shared_file_chunk}, pieces of {@value #CHUNK} bytes written and read one at a time, so a
 * file of any size passes through little memory), named by a location {@code postgresql:<id>}. A location
 * that does not start so is a path on this instance's disk (the uploads of older versions, or
 * {@code herald.imports.storage=directory}). Where {@code herald.files.s3.bucket} is set, files may also be kept in S3
 * ({@link S3Files}, locations {@code s3://<bucket>/<key>}). {@link #open}, {@link #exists} and {@link #delete} take
 * every kind of location, so a file stays readable after the setting that chose its place has changed.
 */
@Component
public class SharedFiles {

    public static final String SCHEME = "postgresql:";
    static final int CHUNK = 1 << 20;

    /** Where a new file is kept. */
    public enum Store {
        /** PostgreSQL, in pieces ({@code herald_shared_file_chunk}) */
        DATABASE,
        /** the S3 bucket of {@code herald.files.s3} */
        S3
    }

    private final JdbcTemplate jdbc;
    private final ObjectProvider<S3Files> s3;

    @Autowired
    public SharedFiles(DataSource dataSource, ObjectProvider<S3Files> s3) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.s3 = s3;
    }

    /** Files in PostgreSQL only (no S3). */
    public SharedFiles(DataSource dataSource) {
        this(dataSource, null);
    }

    /** Whether {@link Store#S3} can be used: {@code herald.files.s3.bucket} is set. */
    public boolean s3Configured() {
        return s3 != null && s3.getIfAvailable() != null;
    }

    private S3Files s3(String location) throws IOException {
        S3Files files = s3 == null ? null : s3.getIfAvailable();
        if (files == null) {
            throw new IOException(location + " is in S3, but herald.files.s3.bucket (HERALD_FILES_S3_BUCKET) is not set");
        }
        return files;
    }

    /** The location of the file {@code id} in {@code store}. */
    public String location(Store store, String id) throws IOException {
        return store == Store.S3 ? s3("A file").location(id) : location(id);
    }

    /** Writes the file {@code id} (replacing any earlier one) in {@code store}. */
    public OutputStream create(Store store, String id) throws IOException {
        return store == Store.S3 ? s3("A file").create(id) : create(id);
    }

    public static String location(String id) {
        return SCHEME + id;
    }

    public static boolean isShared(String location) {
        return location.startsWith(SCHEME);
    }

    /** Writes the file {@code id} (replacing any earlier one); each piece is committed as it is written. */
    public OutputStream create(String id) {
        jdbc.update("delete from herald_shared_file_chunk where file_id = ?", id);
        return new ChunkWriter(id);
    }

    /** Whether the file is there; an S3 store that cannot be asked is an {@link UncheckedIOException}, not "no". */
    public boolean exists(String location) {
        if (S3Files.isS3(location)) {
            try {
                return s3(location).exists(location);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!isShared(location)) {
            return Files.isReadable(Path.of(location));
        }
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from herald_shared_file_chunk where file_id = ? and chunk = 0)",
                Boolean.class, id(location)));
    }

    public InputStream open(String location) throws IOException {
        if (S3Files.isS3(location)) {
            return s3(location).open(location);
        }
        if (!isShared(location)) {
            return Files.newInputStream(Path.of(location));
        }
        return new ChunkReader(id(location));
    }

    public void delete(String location) throws IOException {
        if (S3Files.isS3(location)) {
            s3(location).delete(location);
            return;
        }
        if (!isShared(location)) {
            Files.deleteIfExists(Path.of(location));
            return;
        }
        jdbc.update("delete from herald_shared_file_chunk where file_id = ?", id(location));
    }

    private static String id(String location) {
        return location.substring(SCHEME.length());
    }

    private final class ChunkWriter extends PieceWriter {
        private final String id;
        private int chunk;

        ChunkWriter(String id) {
            super(CHUNK);
            this.id = id;
        }

        @Override
        protected void piece(byte[] buffer, int length) throws IOException {
            try {
                jdbc.update("insert into herald_shared_file_chunk (file_id, chunk, data) values (?, ?, ?)",
                            id, chunk++, Arrays.copyOf(buffer, length));
            } catch (RuntimeException e) {
                throw new IOException("Storing piece " + (chunk - 1) + " of " + id + " failed", e);
            }
        }

        @Override
        protected void finish(byte[] buffer, int length) throws IOException {
            if (length > 0 || chunk == 0) {
                piece(buffer, length); // an empty file is one empty piece: it exists
            }
        }
    }

    private final class ChunkReader extends InputStream {
        private final String id;
        private byte[] current = new byte[0];
        private int position;
        private int next;
        private boolean ended;

        ChunkReader(String id) {
            this.id = id;
        }

        private boolean fill() throws IOException {
            while (position >= current.length) {
                if (ended) {
                    return false;
                }
                List<byte[]> rows;
                try {
                    rows = jdbc.query("select data from herald_shared_file_chunk where file_id = ? and chunk = ?",
                                      (rs, i) -> rs.getBytes(1), id, next);
                } catch (RuntimeException e) {
                    throw new IOException("Reading piece " + next + " of " + id + " failed", e);
                }
                if (rows.isEmpty()) {
                    ended = true;
                    if (next == 0) {
                        throw new java.io.FileNotFoundException("No shared file " + id);
                    }
                    return false;
                }
                current = rows.get(0);
                position = 0;
                next++;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? current[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, bytes, offset, n);
            position += n;
            return n;
        }
    }
}
