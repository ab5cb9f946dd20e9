package io.herald.eventstore.database;

import io.herald.eventstore.support.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import java.io.FileNotFoundException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Files kept in PostgreSQL in pieces: written and read back byte for byte, whatever the write sizes. */
class SharedFilesIT {

    private SharedFiles files;

    @BeforeEach
    void migrate() {
        String url = TestDatabases.newDatabase();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url);
        // the module's own migration, as Flyway runs it in the application
        new ResourceDatabasePopulator(new ClassPathResource("db/eventstore-migration/V1000__shared_files.sql"))
                .execute(dataSource);
        files = new SharedFiles(dataSource);
    }

    @Test
    void aFileOfSeveralPieces_readsBackTheSame_andIsGoneOnceDeleted() throws Exception {
        byte[] content = new byte[SharedFiles.CHUNK * 2 + 12345];
        new Random(7).nextBytes(content);
        try (OutputStream out = files.create("import/a.csv")) {
            out.write(content[0]);
            int offset = 1;
            int step = 1;
            while (offset < content.length) {
                int n = Math.min(step, content.length - offset);
                out.write(content, offset, n);
                offset += n;
                step = step * 3 + 1;
            }
        }
        String location = SharedFiles.location("import/a.csv");
        assertThat(SharedFiles.isShared(location)).isTrue();
        assertThat(files.exists(location)).isTrue();
        try (InputStream in = files.open(location)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        try (InputStream in = files.open(location)) {
            assertThat(in.read()).isEqualTo(content[0] & 0xff);
        }
        files.delete(location);
        assertThat(files.exists(location)).isFalse();
        assertThatThrownBy(() -> files.open(location).read()).isInstanceOf(FileNotFoundException.class);
    }

    @Test
    void anEmptyFile_exists_andReadsEmpty() throws Exception {
        files.create("empty").close();
        assertThat(files.exists(SharedFiles.location("empty"))).isTrue();
        try (InputStream in = files.open(SharedFiles.location("empty"))) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void aLocationWithoutTheScheme_isAPathOnThisDisk(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("x.csv"), "Email\n");
        assertThat(files.exists(file.toString())).isTrue();
        try (InputStream in = files.open(file.toString())) {
            assertThat(new String(in.readAllBytes())).isEqualTo("Email\n");
        }
        files.delete(file.toString());
        assertThat(file).doesNotExist();
    }
}
