package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.eventstore.work.WorkerRegistry;
import io.herald.saga.channel.ChannelAdapter;
import io.herald.saga.policy.MessagingPolicyGate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * This instance's delivery worker. Every instance runs one (unless its role is API only); they share
 * the work through the database:
 * <ul>
 *   <li>a campaign's audience is frozen page by page by whichever worker holds its run's row lock;</li>
 *   <li>recipients are claimed in batches with {@code FOR UPDATE SKIP LOCKED} and marked SENDING in a
 *       committed transaction <em>before</em> anything is sent; each group of a batch (at most the sender's
 *       share of {@code max-in-flight}) is written down in the {@link DeliveryJournal} before it goes out,
 *       with what the group before came to; results are recorded per batch, with the failure log, the run's
 *       counters and {@link DeliveryBatchRecordedEvent}s, in one transaction;</li>
 *   <li>each worker holds a lease (heartbeat) in the platform's {@link WorkerRegistry}, the registry the import
 *       workers use too; the claims of a worker whose lease ran out are settled by one survivor from the journal: outcomes written down are recorded, recipients not reached go back to the
 *       queue, and the group that was under way is settled: webhooks are sent again with the same
 *       Idempotency-Key, e-mail and SMS become UNKNOWN. So a recipient is never sent twice by e-mail or SMS,
 *       none is left without a final status, and a crash leaves at most {@code max-in-flight} recipients per
 *       channel uncertain.</li>
 * </ul>
 * Pause and cancel are read from the run before every group of sends (every poll interval at most).
 * <p>
 * The worker owns the threads and wires the parts that do the work: {@link WorkerLease} (its id, heartbeat
 * and settling dead workers), {@link ActiveCampaigns} (the runs and messages it sees), {@link RunControl}
 * (freezing, recording audiences, cancelling), {@link BatchSender} (claiming and sending batches) and
 * {@link Outcomes} (what results mean, and their events). They all log under this class's name.
 */
public class DeliveryWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final DeliveryProperties properties;
    private final WorkerLease lease;
    private final ActiveCampaigns active;
    private final Outcomes outcomes;
    private final RunControl runControl;
    private final BatchSender sender;

    private volatile boolean running;
    private ExecutorService control;
    private java.util.concurrent.ScheduledExecutorService heartbeats;
    private ExecutorService senders;
    private ExecutorService sends;

    public DeliveryWorker(DeliveryStore store, CampaignRuns campaignRuns, Deliveries deliveries, DeliveryJournal journal,
                          WorkerRegistry workers, FailureLog failureLog, DeliveryProperties properties, Collection<ChannelAdapter> adapters,
                          SendThrottle throttle, ChannelConcurrency concurrency, UnsubscribeLinks unsubscribeLinks,
                          io.herald.saga.engagement.EmailTracking emailTracking,
                          QueryGateway queries, CommandGateway commands, EventBus eventBus,
                          TransactionManager axonTransactions, PlatformTransactionManager transactionManager,
                          Clock clock, DeliveryMetrics metrics, DeliveryTracing tracing, MessagingPolicyGate policy) {
        this.properties = properties;
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        Map<Channel, ChannelAdapter> channels = adapters.stream()
                .collect(Collectors.toMap(ChannelAdapter::channel, Function.identity()));
        this.lease = new WorkerLease(workers, deliveries, store, properties, transactions);
        this.active = new ActiveCampaigns(campaignRuns, queries);
        this.outcomes = new Outcomes(properties, active, eventBus, axonTransactions, clock, lease::workerId);
        this.runControl = new RunControl(store, campaignRuns, deliveries, active, outcomes, properties, queries,
                                         commands, transactions, this::isRunning);
        this.sender = new BatchSender(active, deliveries, journal, failureLog, lease, outcomes, properties, channels, throttle,
                                      concurrency, unsubscribeLinks, emailTracking, queries, transactions, this::isRunning,
                                      () -> sends, metrics, tracing, policy, clock, commands);
    }

    public String workerId() {
        return lease.workerId();
    }

    // --- lifecycle ------------------------------------------------------------------------------

    @Override
    public void start() {
        lease.register();
        running = true;
        control = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("herald-delivery-control").factory());
        int senderCount = Math.max(1, properties.worker().senders());
        senders = Executors.newFixedThreadPool(senderCount, Thread.ofPlatform().name("herald-delivery-", 0).factory());
        sends = Executors.newVirtualThreadPerTaskExecutor();
        heartbeats = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().name("herald-delivery-lease-", 0).daemon().factory());
        long every = properties.worker().heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(lease::heartbeat, every, every, TimeUnit.MILLISECONDS);
        // pause and cancel are read on their own thread too: a long freeze never delays them
        long poll = properties.worker().pollInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::refreshRunsSafely, 0, poll, TimeUnit.MILLISECONDS);
        control.submit(this::controlLoop);
        for (int i = 0; i < senderCount; i++) {
            senders.submit(this::senderLoop);
        }
        log.info("Delivery worker {} started ({} senders, batches of {})", lease.workerId(), senderCount,
                 properties.worker().batchSize());
    }

    @Override
    public void stop() {
        running = false;
        for (ExecutorService executor : new ExecutorService[] {control, senders}) {
            if (executor != null) {
                executor.shutdown();
            }
        }
        try {
            // batches under way finish and are recorded; an instance stopped for good leaves nothing SENDING
            if (senders != null && !senders.awaitTermination(30, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
            if (control != null) {
                control.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sends != null) {
            sends.shutdownNow();
        }
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        lease.unregister();
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

    // --- control: leases, run states, freezing, cancelling -------------------------------------

    private void controlLoop() {
        long lastRecovery = 0;
        while (running) {
            try {
                long now = System.nanoTime();
                if (now - lastRecovery >= properties.worker().heartbeat().toNanos()) {
                    lease.settleDeadWorkers(outcomes);
                    lastRecovery = now;
                }
                for (CampaignRuns.ActiveRun run : active.all()) {
                    if (!running) {
                        break;
                    }
                    switch (run.state()) {
                        case CampaignRuns.FREEZING -> {
                            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                            while (running && System.nanoTime() < until && runControl.freezePage(run)) {
                                // next page at once; the loop comes back within seconds for the rest
                            }
                        }
                        case CampaignRuns.CANCELLING -> runControl.skipRest(run, RunControl.CANCELLED);
                        case CampaignRuns.FAILING -> runControl.skipRest(run, RunControl.CAMPAIGN_FAILED);
                        default -> {
                            if (run.frozen() && !run.audienceRecorded()) {
                                runControl.recordAudience(run);
                            }
                        }
                    }
                }
                sleep(properties.worker().pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Delivery control loop: {}", e.toString());
                try {
                    sleep(Duration.ofSeconds(1));
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void refreshRunsSafely() {
        try {
            active.refresh();
        } catch (RuntimeException e) {
            log.warn("Delivery worker could not read the runs: {}", e.toString());
        }
    }

    // --- sending ----------------------------------------------------------------------------------

    private void senderLoop() {
        while (running) {
            try {
                if (!sender.sendOneBatch()) {
                    sleep(properties.worker().pollInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Delivery sender: {}", e.toString());
                try {
                    sleep(Duration.ofSeconds(1));
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
