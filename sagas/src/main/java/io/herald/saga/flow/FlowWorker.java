package io.herald.saga.flow;

import io.herald.api.contact.ContactBatchView;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.FindContactsByKeysQuery;
import io.herald.api.flow.FlowStatus;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * This instance's flow worker. Every poll it reads the status of each flow that has had runs (the flow list
 * of the read model, one query per 200 flows): a STOPPED flow's live runs are all stopped, a PAUSED flow's runs are left where they are,
 * and due runs of ACTIVE and ARCHIVED flows are claimed in batches ({@code FOR UPDATE SKIP LOCKED}, a lease per
 * claim; the batch's contacts read in one query) and moved on until they wait or end ({@link FlowRunner}): the
 * batch's runs through the nodes that only touch the database together (one update and one commit for the batch),
 * its runs at send nodes together (written down as sending by one statement, sent in parallel, recorded by one
 * statement), then each run that goes on further on a virtual thread of its own; the next batch is claimed while
 * the last one's runs are still under way. Workers of several instances share the runs through the database; a run whose worker
 * died is claimed again once its lease runs out.
 */
public class FlowWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FlowWorker.class);

    private final FlowRunStore store;
    private final FlowDefinitions definitions;
    private final FlowRunner runner;
    private final QueryGateway queries;
    private final FlowRuntimeProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String workerId = "flow-worker-" + UUID.randomUUID();
    private final Map<UUID, FlowStatus> statuses = new ConcurrentHashMap<>();

    /** Claimed runs in hand (not yet finished) at most: two batches, so the next is claimed while one finishes. */
    private final Semaphore slots;
    /** The runs under way here: a run claimed again while it still is (its lease ran out) is not run twice. */
    private final Set<UUID> inHand = ConcurrentHashMap.newKeySet();
    private volatile List<UUID> runnable = List.of();
    private volatile Instant statusesReadAt = Instant.EPOCH;

    private volatile boolean running;
    private ExecutorService loop;
    private ExecutorService runs;

    FlowWorker(FlowRunStore store, FlowDefinitions definitions, FlowRunner runner, QueryGateway queries,
               FlowRuntimeProperties properties, TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.queries = queries;
        this.slots = new Semaphore(2 * properties.batchSize());
        this.definitions = definitions;
        this.runner = runner;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    public String workerId() {
        return workerId;
    }

    @Override
    public void start() {
        running = true;
        loop = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("herald-flow-worker").factory());
        runs = Executors.newVirtualThreadPerTaskExecutor();
        loop.submit(this::loop);
        log.info("Flow worker {} started (batches of {}, every {} ms)", workerId, properties.batchSize(),
                 properties.pollInterval().toMillis());
    }

    @Override
    public void stop() {
        running = false;
        if (loop != null) {
            loop.shutdown();
            try {
                loop.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (runs != null) {
            runs.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after Axon's processors and stops before them and the data source. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private void loop() {
        while (running) {
            try {
                if (!pollOnce()) {
                    Thread.sleep(properties.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Flow worker: {}", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * One round: flow statuses and stops (at most once per poll interval), then one batch of due runs, handed to
     * virtual threads without waiting for them: the next batch is claimed as soon as a batch's worth of
     * {@link #slots} is free (at most two batches' runs in hand; waiting here until then). True when the batch was
     * full (more may be due).
     */
    boolean pollOnce() throws InterruptedException {
        int batch = properties.batchSize();
        slots.acquire(batch);
        int taken = 0;
        try {
            List<UUID> runnable = runnableFlows();
            List<FlowRunStore.Run> claimed = transactions.execute(
                    s -> store.claim(runnable, workerId, batch, properties.lease(), clock.instant()));
            if (claimed == null || claimed.isEmpty()) {
                return false;
            }
            List<FlowRunStore.Run> mine = new ArrayList<>(claimed.size());
            for (FlowRunStore.Run run : claimed) {
                // one still under way here (its lease ran out meanwhile, and this claim renewed it): not twice
                if (inHand.add(run.runId())) {
                    mine.add(run);
                }
            }
            if (!mine.isEmpty()) {
                try {
                    runs.submit(() -> runBatch(mine));
                    taken = mine.size();
                } catch (RuntimeException e) {
                    // the worker is stopping: the runs are claimed again once their lease runs out
                    mine.forEach(run -> inHand.remove(run.runId()));
                    throw e;
                }
            }
            return claimed.size() >= batch;
        } finally {
            slots.release(batch - taken);
        }
    }

    /**
     * A claimed batch: its contacts read in one query (when a run needs its contact), its runs moved through the
     * database-only nodes together ({@link FlowRunner#runBatch}), then those that go on further each on a virtual
     * thread of its own.
     */
    private void runBatch(List<FlowRunStore.Run> batch) {
        List<FlowRunner.Handoff> handoffs = List.of();
        try {
            handoffs = runner.runBatch(batch, workerId, statuses::get, new java.util.function.Supplier<>() {
                private Map<UUID, ContactView> read;

                @Override
                public Map<UUID, ContactView> get() {
                    if (read == null) {
                        read = contacts(batch);
                    }
                    return read;
                }
            });
        } catch (RuntimeException e) {
            // (the runner hands a batch it could not write to the runs one by one; this is anything else, a
            // flow's version not read, say): the runs are claimed again once their lease runs out
            log.warn("Flow worker: a batch of {} runs: {}", batch.size(), e.toString());
        } finally {
            Set<UUID> goOn = new java.util.HashSet<>();
            handoffs.forEach(handoff -> goOn.add(handoff.run().runId()));
            for (FlowRunStore.Run run : batch) {
                if (!goOn.contains(run.runId())) {
                    inHand.remove(run.runId());
                    slots.release();
                }
            }
        }
        for (FlowRunner.Handoff handoff : handoffs) {
            FlowRunStore.Run run = handoff.run();
            try {
                runs.submit(() -> {
                    try {
                        runner.run(run, workerId, statuses::get, handoff.contact(), handoff.fresh());
                    } catch (RuntimeException e) {
                        log.warn("Flow run {}: {}", run.runId(), e.toString());
                    } finally {
                        inHand.remove(run.runId());
                        slots.release();
                    }
                });
            } catch (RuntimeException e) {
                // the worker is stopping: the run is claimed again once its lease runs out
                inHand.remove(run.runId());
                slots.release();
            }
        }
    }

    /**
     * The flows whose due runs may be claimed (ACTIVE and ARCHIVED), the statuses read again at most once per poll
     * interval: a STOPPED flow's live runs are stopped, a flow that takes no entries and has no live runs is
     * forgotten.
     */
    private List<UUID> runnableFlows() {
        Instant now = clock.instant();
        if (now.isBefore(statusesReadAt.plus(properties.pollInterval()))) {
            return runnable;
        }
        List<UUID> found = new ArrayList<>();
        List<UUID> flows = store.flows();
        Map<UUID, FlowStatus> all = flows.isEmpty() ? Map.of() : definitions.statuses();
        for (UUID flowId : flows) {
            FlowStatus status = all.get(flowId);
            if (status == null) {
                continue;
            }
            statuses.put(flowId, status);
            switch (status) {
                case ACTIVE, ARCHIVED -> found.add(flowId);
                case STOPPED -> {
                    Integer stopped = transactions.execute(s -> store.stopAll(flowId, clock.instant()));
                    if (stopped != null && stopped > 0) {
                        log.info("Flow {} stopped: {} runs stopped", flowId, stopped);
                    }
                }
                default -> {
                    // paused (or a draft): its runs hold
                }
            }
            if (status.isFinal() && !Boolean.TRUE.equals(transactions.execute(s -> store.hasLiveRuns(flowId)))) {
                // a flow that takes no entries any more and has no live runs needs no looking after
                store.forgetFlow(flowId);
            }
        }
        runnable = List.copyOf(found);
        statusesReadAt = now;
        return runnable;
    }

    /** The contacts of a claimed batch, read in one query (a run whose contact is not among them reads it itself). */
    private Map<UUID, ContactView> contacts(List<FlowRunStore.Run> claimed) {
        List<String> ids = claimed.stream().map(run -> run.contactId().toString()).distinct().toList();
        try {
            ContactBatchView found = FlowDefinitions.join(queries.query(new FindContactsByKeysQuery(ids, List.of(),
                                                                                                    List.of()),
                                                                        ResponseTypes.instanceOf(ContactBatchView.class)));
            Map<UUID, ContactView> byId = new HashMap<>();
            found.contacts().forEach(contact -> byId.put(UUID.fromString(contact.id()), contact));
            return byId;
        } catch (RuntimeException e) {
            log.warn("Flow worker: the contacts of a batch: {}", e.toString());
            return Map.of();
        }
    }
}
