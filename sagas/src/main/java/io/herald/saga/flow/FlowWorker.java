package io.herald.saga.flow;

import io.herald.api.flow.FlowStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * This instance's flow worker. Every poll it reads the status of each flow that has had runs (the flow list
 * of the read model, one query per 200 flows): a STOPPED flow's live runs are all stopped, a PAUSED flow's runs are left where they are,
 * and due runs of ACTIVE and ARCHIVED flows are claimed in batches ({@code FOR UPDATE SKIP LOCKED}, a lease per
 * claim) and moved on, each run on a virtual thread, until they wait or end ({@link FlowRunner}). Workers of
 * several instances share the runs through the database; a run whose worker died is claimed again once its
 * lease runs out.
 */
public class FlowWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FlowWorker.class);

    private final FlowRunStore store;
    private final FlowDefinitions definitions;
    private final FlowRunner runner;
    private final FlowRuntimeProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String workerId = "flow-worker-" + UUID.randomUUID();
    private final Map<UUID, FlowStatus> statuses = new ConcurrentHashMap<>();

    private volatile boolean running;
    private ExecutorService loop;
    private ExecutorService runs;

    FlowWorker(FlowRunStore store, FlowDefinitions definitions, FlowRunner runner, FlowRuntimeProperties properties,
               TransactionTemplate transactions, Clock clock) {
        this.store = store;
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

    /** One round: flow statuses, stops, one batch of due runs; true when the batch was full (more may be due). */
    boolean pollOnce() throws InterruptedException {
        List<UUID> runnable = new ArrayList<>();
        List<UUID> flows = store.flows();
        Map<UUID, FlowStatus> all = flows.isEmpty() ? Map.of() : definitions.statuses();
        for (UUID flowId : flows) {
            FlowStatus status = all.get(flowId);
            if (status == null) {
                continue;
            }
            statuses.put(flowId, status);
            switch (status) {
                case ACTIVE, ARCHIVED -> runnable.add(flowId);
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
        List<FlowRunStore.Run> claimed = transactions.execute(
                s -> store.claim(runnable, workerId, properties.batchSize(), properties.lease(), clock.instant()));
        if (claimed == null || claimed.isEmpty()) {
            return false;
        }
        List<Future<?>> work = new ArrayList<>();
        for (FlowRunStore.Run run : claimed) {
            work.add(runs.submit(() -> {
                try {
                    runner.run(run, workerId, flowId -> statuses.get(flowId));
                } catch (RuntimeException e) {
                    log.warn("Flow run {}: {}", run.runId(), e.toString());
                }
            }));
        }
        for (Future<?> future : work) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                log.warn("Flow run: {}", e.getCause().toString());
            }
        }
        return claimed.size() >= properties.batchSize();
    }
}
