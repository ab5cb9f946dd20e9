package io.herald.saga.delivery;

import io.herald.eventstore.work.WorkerRegistry;
import io.herald.saga.delivery.DeliveryStore.Orphan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * This worker's lease in the platform's {@link WorkerRegistry} (kind {@value #KIND}, shared with the import
 * workers): its id, the heartbeat that renews it, giving an id up after a failed batch or a lost lease, and
 * settling what workers whose lease ran out were sending (webhooks sent again, e-mail and SMS UNKNOWN).
 */
final class WorkerLease {

    /** The delivery workers' kind in the registry. */
    static final String KIND = "delivery";

    // the worker's log: one logger for all its parts
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final WorkerRegistry registry;
    private final Deliveries deliveries;
    private final DeliveryStore store;
    private final DeliveryProperties properties;
    private final TransactionTemplate transactions;
    /**
     * Renewed after a batch fails in an unknown state or the lease was lost: the old id's lease lapses (or has)
     * and its sends are settled; an id never holds anything again once given up.
     */
    private volatile String workerId;

    WorkerLease(WorkerRegistry registry, Deliveries deliveries, DeliveryStore store, DeliveryProperties properties,
                TransactionTemplate transactions) {
        this.registry = registry;
        this.deliveries = deliveries;
        this.store = store;
        this.properties = properties;
        this.transactions = transactions;
        this.workerId = newId();
    }

    private static String newId() {
        return WorkerRegistry.newWorkerId("worker");
    }

    String workerId() {
        return workerId;
    }

    void register() {
        registry.register(workerId, KIND, properties.worker().lease());
    }

    /** Renews the lease on its own thread, so a long freeze or batch never lets it lapse. */
    void heartbeat() {
        String id = workerId;
        try {
            if (!registry.renew(id, properties.worker().lease())) {
                // declared dead while alive (a long pause): its sends under way are settled as a dead worker's
                abandon(id, "lost its lease (silent longer than herald.delivery.worker.lease)");
            }
        } catch (RuntimeException e) {
            log.warn("Delivery worker {} heartbeat failed: {}", id, e.toString());
        }
    }

    /** Gives up a worker id after a failed batch: this worker goes on under a new one. */
    void abandon(String claimer) {
        abandon(claimer, "a batch failed midway");
    }

    private synchronized void abandon(String claimer, String why) {
        if (claimer.equals(workerId)) {
            workerId = newId();
            log.warn("Delivery worker {} {}; its sends are settled once that id's lease has lapsed. Now {}", claimer, why,
                     workerId);
            try {
                register();
            } catch (RuntimeException e) {
                log.warn("Could not register {} yet: {}", workerId, e.toString());
            }
        }
    }

    /** Removes this worker's registration when it stops (its batches have been recorded). */
    void unregister() {
        try {
            registry.unregister(workerId);
        } catch (RuntimeException e) {
            log.warn("Could not remove worker {}: {}", workerId, e.getMessage());
        }
    }

    /**
     * Settles each delivery worker whose lease ran out, with its registration locked so that one survivor settles
     * it, and the workers named on SENDING rows that have no registration at all (one transaction; each in its own
     * unit of work, its outcomes published through {@code outcomes}).
     */
    void settleDeadWorkers(Outcomes outcomes) {
        transactions.executeWithoutResult(status -> {
            Set<String> dead = new LinkedHashSet<>(registry.lockDead(KIND));
            List<String> sending = new ArrayList<>(deliveries.sendingWorkers());
            sending.remove(workerId);
            dead.addAll(registry.unregistered(sending));
            for (String worker : dead) {
                if (worker.equals(workerId)) {
                    continue;
                }
                outcomes.inUnitOfWork(() -> {
                    DeliveryStore.Settlement settlement = store.settleDeadWorker(worker, properties.retry().maxAttempts());
                    registry.forget(worker);
                    List<Orphan> orphans = settlement.settled();
                    if (!orphans.isEmpty() || settlement.released() > 0) {
                        log.warn("Delivery worker {} stopped with {} sends under way, {} outcomes not yet recorded and "
                                         + "{} claimed recipients not reached: settled by {}", worker,
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
}
