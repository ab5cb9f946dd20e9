package io.herald.saga.secret;

import io.herald.eventstore.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The secrets instances share through {@code herald_secret}, on a real PostgreSQL migrated by Herald's scripts. */
class StoredSecretsIT {

    private static DataSource database;

    @BeforeAll
    static void migrate() {
        String url = TestDatabases.newDatabase();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();
        database = new DriverManagerDataSource(url);
    }

    @Test
    void concurrentFirstStarts_allGetTheOneValueThatWasStored() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Callable<String> first = () -> {
                    start.await();
                    return StoredSecrets.text(database, "race");
                };
                results.add(pool.submit(first));
            }
            start.countDown();
            Set<String> values = new HashSet<>();
            for (Future<String> result : results) {
                values.add(result.get());
            }
            assertThat(values).hasSize(1);
            assertThat(values.iterator().next()).matches("[A-Za-z0-9_-]{43}");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStoredSecretOutlivesRestarts_andNamesKeepTheirOwn() {
        byte[] first = StoredSecrets.bytes(database, "kept");
        assertThat(first).hasSize(32);
        assertThat(StoredSecrets.bytes(database, "kept")).isEqualTo(first);
        assertThat(StoredSecrets.bytes(database, "other")).isNotEqualTo(first);
        String text = StoredSecrets.text(database, "kept-text");
        assertThat(StoredSecrets.text(database, "kept-text")).isEqualTo(text);
    }
}
