package io.herald.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Where the time goes during a run, for the "what limits it" question: CPU of the whole machine
 * (from /proc/stat), of this JVM (application and load generator together), of all PostgreSQL
 * processes, and PostgreSQL's own counters: commits in the benchmark database and WAL syncs
 * (fsyncs at commit) of the whole cluster. PostgreSQL's counters reach pg_stat_* with up to about
 * a second of delay, so per-run rates are approximate.
 */
final class ResourceSampler implements AutoCloseable {

    /** Counters at one instant. */
    record Snapshot(long nanos, long machineBusyTicks, long machineTotalTicks, long jvmTicks, long postgresTicks,
                    long commits, long walSyncs, long walBytes, long tokenWrites) {
    }

    /** Rates between two snapshots; CPU figures in cores (2.0 = both cores of this machine busy). */
    record Usage(double machineCores, double jvmCores, double clientCores, double postgresCores,
                 double otherCores, double commitsPerSecond, double walSyncsPerSecond, double walBytesPerSecond,
                 double tokenWritesPerSecond) {

        static final Usage NONE = new Usage(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                                            Double.NaN, Double.NaN, Double.NaN);
    }

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final Connection admin;
    private final String database;
    private final long postmasterPid;

    /** @param url a connection to the benchmark's database (the global pg_stat views are read through it too) */
    ResourceSampler(String url, String user, String password, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        this.admin = DriverManager.getConnection(url, props);
        this.admin.setAutoCommit(true);
        this.database = database;
        this.postmasterPid = postmasterPid(admin);
    }

    /** The server's postmaster: the parent of our own backend (0 when the server is not on this machine). */
    private static long postmasterPid(Connection admin) {
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return parentPid(Path.of("/proc", Long.toString(rs.getLong(1))));
        } catch (SQLException | IOException | RuntimeException e) {
            return 0;
        }
    }

    Snapshot snapshot() {
        long[] machine = machineTicks();
        long commits = -1;
        long walSyncs = -1;
        long walBytes = -1;
        long tokenWrites = -1;
        try (Statement st = admin.createStatement()) {
            st.execute("select pg_stat_clear_snapshot()");
            try (PreparedStatement ps = admin.prepareStatement(
                    "select xact_commit from pg_stat_database where datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        commits = rs.getLong(1);
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("select wal_sync, wal_bytes from pg_stat_wal")) {
                if (rs.next()) {
                    walSyncs = rs.getLong(1);
                    walBytes = rs.getLong(2);
                }
            }
            // tracking-token writes of the event processors (claims, extensions, progress)
            try (ResultSet rs = st.executeQuery("select coalesce(sum(n_tup_upd + n_tup_ins), 0) "
                                                        + "from pg_stat_user_tables where relname = 'token_entry'")) {
                if (rs.next()) {
                    tokenWrites = rs.getLong(1);
                }
            }
        } catch (SQLException e) {
            // counters unavailable (older server, no rights): leave them out
        }
        return new Snapshot(System.nanoTime(), machine[0], machine[1], processTicks(Path.of("/proc/self/stat"), false),
                            postgresTicks(), commits, walSyncs, walBytes, tokenWrites);
    }

    static Usage usage(Snapshot a, Snapshot b, long clientCpuNanos) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        if (seconds <= 0 || a.machineTotalTicks() <= 0) {
            return Usage.NONE;
        }
        double totalTicks = b.machineTotalTicks() - a.machineTotalTicks();
        double machine = totalTicks <= 0 ? Double.NaN
                : (b.machineBusyTicks() - a.machineBusyTicks()) / totalTicks * CORES;
        double jvm = (b.jvmTicks() - a.jvmTicks()) / TICKS_PER_SECOND / seconds;
        double pg = (b.postgresTicks() - a.postgresTicks()) / TICKS_PER_SECOND / seconds;
        double client = clientCpuNanos / 1e9 / seconds;
        double other = Math.max(0, machine - jvm - pg);
        double commits = a.commits() < 0 || b.commits() < 0 ? Double.NaN : (b.commits() - a.commits()) / seconds;
        double syncs = a.walSyncs() < 0 || b.walSyncs() < 0 ? Double.NaN : (b.walSyncs() - a.walSyncs()) / seconds;
        double bytes = a.walBytes() < 0 || b.walBytes() < 0 ? Double.NaN : (b.walBytes() - a.walBytes()) / seconds;
        double tokens = a.tokenWrites() < 0 || b.tokenWrites() < 0 ? Double.NaN
                : (b.tokenWrites() - a.tokenWrites()) / seconds;
        return new Usage(machine, jvm, client, pg, other, commits, syncs, bytes, tokens);
    }

    /** busy and total jiffies of all CPUs; iowait counts as idle. */
    private static long[] machineTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[]{total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[]{0, 0};
        }
    }

    /**
     * CPU of the PostgreSQL server in use, as far as this benchmark causes it: the backends
     * connected to the benchmark's database plus the server's shared processes (WAL writer,
     * checkpointer, background writer...). Backends of other databases on the same server (other
     * work on the machine) count as "other". Snapshots are taken while the run's connections are
     * open, so no backend of ours ends between them.
     */
    private long postgresTicks() {
        if (postmasterPid <= 0) {
            return 0;
        }
        long sum = processTicks(Path.of("/proc", Long.toString(postmasterPid), "stat"), false);
        String ours = " " + database + " ";
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path proc : procs) {
                try {
                    if (parentPid(proc) != postmasterPid) {
                        continue;
                    }
                    String title = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    boolean backend = title.contains("(") || title.contains("[local]")
                            || title.contains("autovacuum worker");
                    if (title.contains(ours) || !backend) {
                        sum += processTicks(proc.resolve("stat"), false);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    private static long parentPid(Path proc) throws IOException {
        String text = Files.readString(proc.resolve("stat"));
        String[] f = text.substring(text.lastIndexOf(')') + 2).split("\\s+");
        return Long.parseLong(f[1]);
    }

    /** utime + stime of one process (all its threads), plus cutime + cstime of its reaped children. */
    private static long processTicks(Path stat, boolean withChildren) {
        try {
            String text = Files.readString(stat);
            String[] f = text.substring(text.lastIndexOf(')') + 2).split("\\s+");
            // after "pid (comm) ": state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return withChildren ? ticks + Long.parseLong(f[13]) + Long.parseLong(f[14]) : ticks;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() throws SQLException {
        admin.close();
    }
}
