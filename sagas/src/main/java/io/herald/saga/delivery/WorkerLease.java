package io.herald.saga.delivery;

import io.herald.saga.delivery.DeliveryStore.Orphan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.InetAddress;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * This worker's lease: its id, the heartbeat that renews it, giving an id up after a failed batch, and
 * settling what workers whose lease ran out were sending (webhooks sent again, e-mail and SMS UNKNOWN).
 */
final class WorkerLease {

    // the worker's log: one logger for all its parts
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final WorkerLeases leases;
    private final DeliveryStore store;
    private final DeliveryProperties properties;
    private final TransactionTemplate transactions;
    /** Renewed after a batch fails in an unknown state: the old id's lease lapses and its sends are settled. */
    private volatile String workerId;

    WorkerLease(WorkerLeases leases, DeliveryStore store, DeliveryProperties properties,
                TransactionTemplate transactions) {
        this.leases = leases;
        this.store = store;
        this.properties = properties;
        this.transactions = transactions;
        this.workerId = "worker-" + UUID.randomUUID();
    }

    String workerId() {
        return workerId;
    }

    void register() {
        leases.register(workerId, hostName());
    }

    /** Renews the lease on its own thread, so a long freeze or batch never lets it lapse. */
    void heartbeat() {
        try {
            if (!leases.heartbeat(workerId)) {
                // declared dead while alive (a long pause): its sends under way were settled; start anew
                log.warn("Delivery worker {} lost its lease; registering again", workerId);
                leases.register(workerId, hostName());
            }
        } catch (RuntimeException e) {
            log.warn("Delivery worker {} heartbeat failed: {}", workerId, e.toString());
        }
    }

    /** Gives up a worker id after a failed batch: this worker goes on under a new one. */
    synchronized void abandon(String claimer) {
        if (claimer.equals(workerId)) {
            workerId = "worker-" + UUID.randomUUID();
            log.warn("A batch of {} failed midway; its sends are settled once that id's lease lapses. Now {}", claimer,
                     workerId);
            try {
                leases.register(workerId, hostName());
            } catch (RuntimeException e) {
                log.warn("Could not register {} yet: {}", workerId, e.toString());
            }
        }
    }

    /** Removes this worker's row when it stops. */
    void unregister() {
        try {
            leases.unregister(workerId);
        } catch (RuntimeException e) {
            log.warn("Could not remove worker {}: {}", workerId, e.getMessage());
        }
    }

    /**
     * Settles each worker whose lease ran out (one transaction; each in its own unit of work, its outcomes
     * published through {@code outcomes}).
     */
    void settleDeadWorkers(Outcomes outcomes) {
        transactions.executeWithoutResult(status -> {
            for (String dead : leases.lockDeadWorkers(properties.worker().lease())) {
                if (dead.equals(workerId)) {
                    continue;
                }
                outcomes.inUnitOfWork(() -> {
                    DeliveryStore.Settlement settlement = store.settleDeadWorker(dead, properties.retry().maxAttempts());
                    List<Orphan> orphans = settlement.settled();
                    if (!orphans.isEmpty() || settlement.released() > 0) {
                        log.warn("Delivery worker {} stopped with {} sends under way, {} outcomes not yet recorded and "
                                         + "{} claimed recipients not reached: settled by {}", dead,
                                 settlement.underWay(), orphans.size() - settlement.underWay(), settlement.released(),
                                 workerId);
                        orphans.stream().collect(Collectors.groupingBy(Orphan::campaignId))
                                .forEach((campaign, list) -> outcomes.publish(campaign, list.stream()
                                        .map(Orphan::recorded)
                                        .filter(r -> r.status() != io.herald.api.delivery.DeliveryStatus.PENDING
                                                || r.reason() != null).toList()));
                    }
                });
            }
        });
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
        } catch (Exception e) {
            return "pid-" + ProcessHandle.current().pid();
        }
    }
}
