package io.herald.eventstore.work;

import io.herald.eventstore.database.EmbeddedPostgresServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The workers of every instance and their leases (table {@code herald_worker}): how the background workers
 * (the delivery workers, the contact-import workers) share work between instances and survive a
 * {@code kill -9} of any of them without anyone cleaning up.
 * <ul>
 *   <li><b>Registration and lease.</b> A worker registers an id of its own with its kind and a lease, and renews
 *       it ({@link #renew}) well within the lease. Leases are measured by the database's clock, so the hosts'
 *       clocks never matter. A worker whose lease has run out is dead, even if it is still running: renewing
 *       then fails, and the worker must go on under a new id (its old id never holds anything again).</li>
 *   <li><b>Dead workers, one survivor each.</b> {@link #lockDead} returns the dead workers of a kind with
 *       their rows locked ({@code FOR UPDATE SKIP LOCKED}) for the caller's transaction: exactly one survivor
 *       settles each, then {@link #forget}s it in the same transaction. A dead worker renewing meanwhile waits
 *       for that transaction and then finds its row gone.</li>
 *   <li><b>Claiming a unit of work</b> ({@link #claim}): a row of a {@link WorkTable} is taken by a live worker
 *       when nobody holds it or its holder is dead; the row lock decides between claimers.
 *       {@link #takeOverDead} gives the rows of the dead workers of a kind back to be claimed.</li>
 *   <li><b>Fencing</b> ({@link #holds}): each write a worker makes for a unit of work first locks the unit's
 *       row and checks that the worker still holds it, in the write's transaction; a worker that was declared
 *       dead and taken over from is refused, so it never keeps working on work it lost.</li>
 *   <li><b>Restart.</b> With the embedded database (only one process can use its data directory at a time)
 *       every worker registered by another process is dead by definition: registering expires them, so a
 *       restarted instance takes its own interrupted work over at its first look instead of after the lease.
 *       With an external database a killed instance's work is taken over once its lease has run out.</li>
 * </ul>
 * Callers own the transactions of {@link #lockDead}, {@link #forget}, {@link #release} and {@link #holds};
 * {@link #claim} and {@link #takeOverDead} run in a transaction of their own (or join the caller's).
 */
@Component
public class WorkerRegistry {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final boolean exclusiveDatabase;
    /** With an exclusive database: the earlier processes' workers are declared dead at this one's first registration. */
    private final AtomicBoolean earlierProcessesDead = new AtomicBoolean();
    private final String processId = "process-" + UUID.randomUUID();
    private final String host = hostName();

    /**
     * @param exclusiveDatabase whether only this process uses the database (the embedded one): then every
     *                          worker registered by another process is dead
     */
    public WorkerRegistry(DataSource dataSource, boolean exclusiveDatabase) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.exclusiveDatabase = exclusiveDatabase;
    }

    @Autowired
    public WorkerRegistry(DataSource dataSource, ObjectProvider<EmbeddedPostgresServer> embedded) {
        this(dataSource, embedded.getIfAvailable() != null);
    }

    /** A new worker id of {@code kind} ({@code kind-<uuid>}, at most 64 characters): ids are never reused. */
    public static String newWorkerId(String kind) {
        return kind + "-" + UUID.randomUUID();
    }

    /**
     * Registers a live worker whose lease runs {@code lease} from now (an existing row of that id, not yet
     * settled, is renewed). With an exclusive database, this process's first registration declares the workers
     * of earlier processes dead (only those registered before it: anything registered later is not expired).
     */
    public void register(String workerId, String kind, Duration lease) {
        if (exclusiveDatabase && !earlierProcessesDead.get()) {
            synchronized (earlierProcessesDead) {
                if (!earlierProcessesDead.get()) {
                    jdbc.update("update herald_worker set expires_at = clock_timestamp() "
                                        + "where process_id <> ? and expires_at > clock_timestamp()", processId);
                    earlierProcessesDead.set(true);
                }
            }
        }
        jdbc.update("insert into herald_worker (worker_id, kind, host, process_id, started_at, heartbeat_at, expires_at) "
                            + "values (?, ?, ?, ?, clock_timestamp(), clock_timestamp(), clock_timestamp() + ?::interval) "
                            + "on conflict (worker_id) do update set heartbeat_at = excluded.heartbeat_at, "
                            + "expires_at = excluded.expires_at",
                    workerId, kind, host, processId, interval(lease));
    }

    /**
     * Renews the lease for {@code lease} from now; false when the worker is dead already (its lease ran out or
     * it was settled): it holds nothing any more and must go on under a new id.
     */
    public boolean renew(String workerId, Duration lease) {
        return jdbc.update("update herald_worker set heartbeat_at = clock_timestamp(), "
                                   + "expires_at = clock_timestamp() + ?::interval "
                                   + "where worker_id = ? and expires_at > clock_timestamp()",
                           interval(lease), workerId) == 1;
    }

    /** Removes a worker that stops; what it still holds is released by its owner first (or taken over as a dead one's). */
    public void unregister(String workerId) {
        jdbc.update("delete from herald_worker where worker_id = ?", workerId);
    }

    /** Whether the worker's lease is running. */
    public boolean isLive(String workerId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from herald_worker where worker_id = ? and expires_at > clock_timestamp())",
                Boolean.class, workerId));
    }

    /**
     * Those of {@code workerIds} that have no registration (settled and forgotten, or from before the registry):
     * for work rows that name a worker with nothing to renew, which a survivor settles like a dead worker's.
     */
    public List<String> unregistered(Collection<String> workerIds) {
        if (workerIds.isEmpty()) {
            return List.of();
        }
        return jdbc.queryForList("select id from unnest(?::varchar[]) as ids(id) "
                                         + "where not exists (select 1 from herald_worker w where w.worker_id = ids.id)",
                                 String.class, (Object) workerIds.toArray(String[]::new));
    }

    /**
     * The dead workers of {@code kind}, their rows locked for the caller's transaction; those another survivor
     * is settling are skipped. Settle each, then {@link #forget} it in the same transaction.
     */
    public List<String> lockDead(String kind) {
        return jdbc.queryForList("select worker_id from herald_worker where kind = ? and expires_at <= clock_timestamp() "
                                         + "order by expires_at for update skip locked", String.class, kind);
    }

    /** Deletes a settled dead worker (in the transaction that settled it). */
    public void forget(String workerId) {
        jdbc.update("delete from herald_worker where worker_id = ?", workerId);
    }

    /** Gives every row {@code workerId} holds in {@code table} back (caller's transaction); returns how many. */
    public int release(WorkTable table, String workerId) {
        return jdbc.update("update " + table.table() + " set " + table.workerColumn() + " = null where "
                                   + table.workerColumn() + " = ?", workerId);
    }

    /** Gives one row back, if {@code workerId} still holds it (caller's transaction). */
    public boolean release(WorkTable table, Object key, String workerId) {
        return jdbc.update("update " + table.table() + " set " + table.workerColumn() + " = null where "
                                   + table.keyColumn() + " = ? and " + table.workerColumn() + " = ?", key, workerId) == 1;
    }

    /**
     * Settles the dead workers of {@code kind} whose work is rows of {@code table}: each one's rows go back to be
     * claimed and its registration is deleted, by exactly one survivor. Returns the workers settled.
     */
    public List<String> takeOverDead(String kind, WorkTable table) {
        return transactions.execute(status -> {
            List<String> dead = lockDead(kind);
            for (String worker : dead) {
                release(table, worker);
                forget(worker);
            }
            return dead;
        });
    }

    /**
     * Claims the row {@code key} of {@code table} for {@code workerId}, a live worker: taken when nobody holds
     * it, the worker holds it already, or its holder is dead (gone, or its lease ran out). The row is locked
     * first and the holder's lease read after, by the latest committed state, so two claimers never both win.
     * False when the row is gone, held by a live worker, or {@code workerId} is not live.
     */
    public boolean claim(WorkTable table, Object key, String workerId) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            List<String> holder = jdbc.query("select " + table.workerColumn() + " from " + table.table() + " where "
                                                     + table.keyColumn() + " = ? for update",
                                             (rs, row) -> rs.getString(1), key);
            if (holder.isEmpty()) {
                return false;
            }
            String current = holder.get(0);
            if (workerId.equals(current)) {
                return isLive(workerId);
            }
            if (current != null && isLive(current)) {
                return false;
            }
            if (!isLive(workerId)) {
                return false;
            }
            jdbc.update("update " + table.table() + " set " + table.workerColumn() + " = ? where " + table.keyColumn()
                                + " = ?", workerId, key);
            return true;
        }));
    }

    /**
     * Locks the row {@code key} of {@code table} for the caller's transaction and tells whether
     * {@code workerId} holds it: a worker's writes for a unit of work check this first, so that a worker taken
     * over from (declared dead while it went on) is refused. False also when the row is gone.
     */
    public boolean holds(WorkTable table, Object key, String workerId) {
        List<String> holder = jdbc.query("select " + table.workerColumn() + " from " + table.table() + " where "
                                                 + table.keyColumn() + " = ? for update",
                                         (rs, row) -> rs.getString(1), key);
        return !holder.isEmpty() && Objects.equals(holder.get(0), workerId);
    }

    private static String interval(Duration lease) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("A lease must be longer than 0, not " + lease);
        }
        return lease.toMillis() + " milliseconds";
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
        } catch (Exception e) {
            return "pid-" + ProcessHandle.current().pid();
        }
    }
}
