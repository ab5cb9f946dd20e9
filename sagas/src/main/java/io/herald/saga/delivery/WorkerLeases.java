package io.herald.saga.delivery;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The workers and their leases ({@code delivery_worker}): a worker's row lives while it renews it. What a
 * worker whose lease ran out left behind is settled by a survivor ({@link DeliveryStore#settleDeadWorker}).
 * Callers own the transactions.
 */
@Component
public class WorkerLeases {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public WorkerLeases(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    public void register(String workerId, String host) {
        jdbc.update("insert into delivery_worker (worker_id, host, started_at, heartbeat_at) values (?, ?, ?, ?) "
                            + "on conflict (worker_id) do update set heartbeat_at = excluded.heartbeat_at",
                    workerId, host, now(), now());
    }

    /** Renews the lease; false when the worker was already declared dead (its row is gone). */
    public boolean heartbeat(String workerId) {
        return jdbc.update("update delivery_worker set heartbeat_at = ? where worker_id = ?", now(), workerId) == 1;
    }

    public void unregister(String workerId) {
        jdbc.update("delete from delivery_worker where worker_id = ?", workerId);
    }

    /**
     * Workers whose lease ran out, and ids left on rows (SENDING, reserved PENDING, recorded but not yet
     * reported) by workers that are gone; the expired ones are locked for this transaction (one survivor
     * settles each).
     */
    public List<String> lockDeadWorkers(Duration lease) {
        Timestamp expiry = Timestamp.from(clock.instant().minus(lease));
        List<String> dead = new ArrayList<>(jdbc.queryForList(
                "select worker_id from delivery_worker where heartbeat_at < ? for update skip locked", String.class,
                expiry));
        dead.addAll(jdbc.queryForList("select distinct d.worker_id from delivery d where d.status = 'SENDING' "
                                              + "and not exists (select 1 from delivery_worker w "
                                              + "where w.worker_id = d.worker_id)", String.class));
        dead.addAll(jdbc.queryForList("select distinct d.worker_id from delivery d where d.status = 'PENDING' "
                                              + "and d.worker_id is not null and not exists (select 1 "
                                              + "from delivery_worker w where w.worker_id = d.worker_id)",
                                      String.class));
        dead.addAll(jdbc.queryForList("select distinct u.worker_id from delivery_unreported u where not exists "
                                              + "(select 1 from delivery_worker w where w.worker_id = u.worker_id)",
                                      String.class));
        return dead.stream().distinct().toList();
    }
}
