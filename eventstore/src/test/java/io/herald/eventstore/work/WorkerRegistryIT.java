package io.herald.eventstore.work;

import io.herald.eventstore.support.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker registry against a real PostgreSQL: leases by the database's clock, one survivor per dead worker,
 * claims that two workers never both win, and a worker declared dead fenced off the work taken from it.
 */
class WorkerRegistryIT {

    private static final String KIND = "test";
    private static final Duration LEASE = Duration.ofMillis(600);
    private static final WorkTable JOBS = new WorkTable("test_job", "job_id", "worker_id");

    private DriverManagerDataSource dataSource;
    private JdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private WorkerRegistry registry;

    @BeforeEach
    void migrate() {
        dataSource = new DriverManagerDataSource(TestDatabases.newDatabase());
        // the module's own migration, as Flyway runs it in the application
        new ResourceDatabasePopulator(new ClassPathResource("db/eventstore-migration/V1100__workers.sql"))
                .execute(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("create table test_job (job_id varchar(16) primary key, worker_id varchar(64), done int default 0)");
        jdbc.update("insert into test_job (job_id) values ('j1'), ('j2'), ('j3')");
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        registry = new WorkerRegistry(dataSource, false);
    }

    @Test
    void twoWorkers_oneStopsHeartbeating_exactlyOneSurvivorTakesOverItsWork() throws Exception {
        registry.register("a", KIND, LEASE);
        registry.register("b", KIND, LEASE);
        registry.register("c", KIND, LEASE);
        assertThat(registry.claim(JOBS, "j1", "a")).isTrue();
        assertThat(registry.claim(JOBS, "j2", "a")).isTrue();
        // a's work is a's while its lease runs
        assertThat(registry.claim(JOBS, "j1", "b")).isFalse();
        assertThat(registry.takeOverDead(KIND, JOBS)).isEmpty();

        // a stops renewing; b and c go on
        until(() -> {
            assertThat(registry.renew("b", LEASE)).isTrue();
            assertThat(registry.renew("c", LEASE)).isTrue();
            return !registry.isLive("a");
        });
        assertThat(registry.isLive("b")).isTrue();

        // b and c look for dead workers at the same moment: exactly one of them settles a
        List<List<String>> settled = together(() -> registry.takeOverDead(KIND, JOBS),
                                              () -> registry.takeOverDead(KIND, JOBS));
        assertThat(settled).containsExactlyInAnyOrder(List.of("a"), List.of());
        assertThat(jdbc.queryForObject("select count(*) from herald_worker where worker_id = 'a'", Integer.class)).isZero();
        assertThat(jdbc.queryForList("select worker_id from test_job where job_id in ('j1', 'j2')", String.class))
                .containsOnlyNulls();

        // and each unit of a's work goes to exactly one of them, however they race for it
        for (String job : List.of("j1", "j2")) {
            List<Boolean> won = together(() -> registry.claim(JOBS, job, "b"), () -> registry.claim(JOBS, job, "c"));
            assertThat(won).containsExactlyInAnyOrder(true, false);
        }
        assertThat(jdbc.queryForList("select worker_id from test_job where job_id in ('j1', 'j2')", String.class))
                .doesNotContainNull().allMatch(w -> w.equals("b") || w.equals("c"));
    }

    @Test
    void aDeadWorkersUnit_isClaimedByASurvivor_evenBeforeAnyoneSettledIt() throws Exception {
        registry.register("a", KIND, LEASE);
        registry.register("b", KIND, Duration.ofSeconds(30));
        assertThat(registry.claim(JOBS, "j1", "a")).isTrue();
        until(() -> !registry.isLive("a"));
        assertThat(registry.claim(JOBS, "j1", "b")).isTrue();
        assertThat(jdbc.queryForObject("select worker_id from test_job where job_id = 'j1'", String.class)).isEqualTo("b");
    }

    @Test
    void aWorkerThatComesBackAfterBeingDeclaredDead_doesNotKeepWorkingOnStolenWork() throws Exception {
        registry.register("a", KIND, LEASE);
        registry.register("b", KIND, Duration.ofSeconds(30));
        assertThat(registry.claim(JOBS, "j1", "a")).isTrue();
        assertThat(fencedWrite("j1", "a")).isTrue();

        // a freezes longer than its lease; b takes its work over
        until(() -> !registry.isLive("a"));
        assertThat(registry.takeOverDead(KIND, JOBS)).containsExactly("a");
        assertThat(registry.claim(JOBS, "j1", "b")).isTrue();

        // a wakes up: its lease cannot be renewed, its writes for the stolen unit are refused, it cannot claim it back
        assertThat(registry.renew("a", LEASE)).isFalse();
        assertThat(fencedWrite("j1", "a")).isFalse();
        assertThat(registry.claim(JOBS, "j1", "a")).isFalse();
        assertThat(fencedWrite("j1", "b")).isTrue();
        assertThat(jdbc.queryForObject("select done from test_job where job_id = 'j1'", Integer.class)).isEqualTo(2);

        // even a worker whose lease ran out but that nobody settled yet cannot renew it: it is dead
        registry.register("d", KIND, LEASE);
        until(() -> !registry.isLive("d"));
        assertThat(registry.renew("d", LEASE)).isFalse();
    }

    @Test
    void aDeadWorkerBeingSettled_isSkippedByOtherSurvivors_andCannotRenew() throws Exception {
        registry.register("a", KIND, LEASE);
        until(() -> !registry.isLive("a"));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<List<String>> second = transactions.execute(status -> {
                assertThat(registry.lockDead(KIND)).containsExactly("a");
                // a second survivor looking meanwhile skips the locked row
                Future<List<String>> looked = other.submit(() -> transactions.execute(s -> registry.lockDead(KIND)));
                try {
                    looked.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                registry.forget("a");
                return looked;
            });
            assertThat(second.get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(registry.renew("a", LEASE)).isFalse();
            assertThat(registry.takeOverDead(KIND, JOBS)).isEmpty();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void withAnExclusiveDatabase_aNewProcessDeclaresTheWorkersOfTheOldOneDeadAtOnce() {
        WorkerRegistry before = new WorkerRegistry(dataSource, true);
        before.register("old", KIND, Duration.ofHours(1));
        assertThat(before.claim(JOBS, "j1", "old")).isTrue();

        WorkerRegistry restarted = new WorkerRegistry(dataSource, true);
        restarted.register("new", KIND, Duration.ofHours(1));
        assertThat(restarted.isLive("old")).isFalse();
        assertThat(restarted.takeOverDead(KIND, JOBS)).containsExactly("old");
        assertThat(restarted.claim(JOBS, "j1", "new")).isTrue();

        // a shared database: another process's workers keep their leases
        WorkerRegistry shared = new WorkerRegistry(dataSource, false);
        shared.register("other", KIND, Duration.ofHours(1));
        assertThat(shared.isLive("new")).isTrue();
        assertThat(shared.claim(JOBS, "j1", "other")).isFalse();
        // only the workers from before the process's first registration are declared dead
        restarted.register("new-2", KIND, Duration.ofHours(1));
        assertThat(restarted.isLive("other")).isTrue();
    }

    /** A worker's write for a unit: in one transaction, checks it still holds the unit, then writes. */
    private boolean fencedWrite(String job, String worker) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            if (!registry.holds(JOBS, job, worker)) {
                return false;
            }
            jdbc.update("update test_job set done = done + 1 where job_id = ?", job);
            return true;
        }));
    }

    /** Waits (up to 10 s) until the condition holds, checking every 100 ms. */
    private static void until(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Runs both at the same moment (as far as threads allow) and returns their results. */
    @SafeVarargs
    private static <T> List<T> together(Callable<T>... tasks) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(tasks.length);
        try {
            CyclicBarrier start = new CyclicBarrier(tasks.length);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
