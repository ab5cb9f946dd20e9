package io.herald.saga.delivery;

import io.herald.api.campaign.CampaignView;
import io.herald.api.campaign.Channel;
import io.herald.api.campaign.FindCampaignQuery;
import io.herald.api.campaign.RecordCampaignAudienceCommand;
import io.herald.api.common.MetadataKeys;
import io.herald.api.contact.ContactBatchView;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.FindContactsByIdQuery;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.api.segment.FindCampaignRecipientsQuery;
import io.herald.api.segment.RecipientPage;
import io.herald.saga.channel.ChannelAdapter;
import io.herald.saga.channel.OutboundMessage;
import io.herald.saga.channel.SendResult;
import io.herald.template.TemplateException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * This instance's delivery worker. Every instance runs one (unless its role is API only); they share
 * the work through the database:
 * <ul>
 *   <li>a campaign's audience is frozen page by page by whichever worker holds its run's row lock;</li>
 *   <li>recipients are reserved in batches with {@code FOR UPDATE SKIP LOCKED} (they stay PENDING under
 *       this worker's id) and sent through a sliding window: a recipient is marked SENDING in a committed
 *       transaction <em>before</em> it is sent, and a sender has at most {@value #MAX_SENDING_PER_CHANNEL} /
 *       senders of them SENDING and unrecorded, so this worker at most {@value #MAX_SENDING_PER_CHANNEL} per
 *       channel. One transaction per step records the outcomes finished since the last step (with the failure
 *       log) and marks the next recipients; outcomes are reported (the run's counters and one
 *       {@link DeliveryBatchRecordedEvent}) up to {@value #EVENT_OUTCOMES} at a time, journaled per batch
 *       until then;</li>
 *   <li>each worker holds a lease (heartbeat); the SENDING recipients of a worker whose lease ran out are
 *       settled by a survivor: webhooks are sent again with the same Idempotency-Key, e-mail and SMS become
 *       UNKNOWN, its journaled outcomes are reported and its reservations released. So a recipient is never
 *       sent twice by e-mail or SMS, and none is left without a final status.</li>
 * </ul>
 * Pause and cancel are read from the run before every step (refreshed every poll interval).
 */
public class DeliveryWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    static final int EVENT_OUTCOMES = 100;

    /** The most recipients of one channel this worker has SENDING at once: what a crash can leave behind. */
    static final int MAX_SENDING_PER_CHANNEL = 64;

    private final DeliveryStore store;
    private final CampaignRuns campaignRuns;
    private final Deliveries deliveries;
    private final WorkerLeases leases;
    private final FailureLog failureLog;
    private final UnreportedOutcomes unreportedOutcomes;
    private final DeliveryProperties properties;
    private final Map<Channel, ChannelAdapter> channels;
    private final SendThrottle throttle;
    private final ChannelConcurrency concurrency;
    private final UnsubscribeLinks unsubscribeLinks;
    private final QueryGateway queries;
    private final CommandGateway commands;
    private final EventBus eventBus;
    private final TransactionManager axonTransactions;
    private final TransactionTemplate transactions;
    private final Clock clock;
    /** Renewed after a batch fails in an unknown state: the old id's lease lapses and its sends are settled. */
    private volatile String workerId;

    private final Map<String, CampaignRuns.ActiveRun> runs = new ConcurrentHashMap<>();
    private final Map<String, CampaignMessages> campaigns = new ConcurrentHashMap<>();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile boolean running;
    private ExecutorService control;
    private java.util.concurrent.ScheduledExecutorService heartbeats;
    private ExecutorService senders;
    private ExecutorService sends;

    public DeliveryWorker(DeliveryStore store, CampaignRuns campaignRuns, Deliveries deliveries, WorkerLeases leases,
                          FailureLog failureLog, UnreportedOutcomes unreportedOutcomes, DeliveryProperties properties, Collection<ChannelAdapter> adapters,
                          SendThrottle throttle, ChannelConcurrency concurrency, UnsubscribeLinks unsubscribeLinks,
                          QueryGateway queries, CommandGateway commands, EventBus eventBus,
                          TransactionManager axonTransactions, PlatformTransactionManager transactionManager,
                          Clock clock) {
        this.store = store;
        this.campaignRuns = campaignRuns;
        this.deliveries = deliveries;
        this.leases = leases;
        this.failureLog = failureLog;
        this.unreportedOutcomes = unreportedOutcomes;
        this.properties = properties;
        this.channels = adapters.stream().collect(Collectors.toMap(ChannelAdapter::channel, Function.identity()));
        this.throttle = throttle;
        this.concurrency = concurrency;
        this.unsubscribeLinks = unsubscribeLinks;
        this.queries = queries;
        this.commands = commands;
        this.eventBus = eventBus;
        this.axonTransactions = axonTransactions;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.workerId = "worker-" + UUID.randomUUID();
    }

    public String workerId() {
        return workerId;
    }

    // --- lifecycle ------------------------------------------------------------------------------

    @Override
    public void start() {
        leases.register(workerId, hostName());
        running = true;
        control = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("herald-delivery-control").factory());
        int senderCount = Math.max(1, properties.worker().senders());
        senders = Executors.newFixedThreadPool(senderCount, Thread.ofPlatform().name("herald-delivery-", 0).factory());
        sends = Executors.newVirtualThreadPerTaskExecutor();
        heartbeats = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().name("herald-delivery-lease-", 0).daemon().factory());
        long every = properties.worker().heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        // pause and cancel are read on their own thread too: a long freeze never delays them
        long poll = properties.worker().pollInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::refreshRunsSafely, 0, poll, TimeUnit.MILLISECONDS);
        control.submit(this::controlLoop);
        for (int i = 0; i < senderCount; i++) {
            senders.submit(this::senderLoop);
        }
        log.info("Delivery worker {} started ({} senders, batches of {})", workerId, senderCount,
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
        try {
            leases.unregister(workerId);
        } catch (RuntimeException e) {
            log.warn("Could not remove worker {}: {}", workerId, e.getMessage());
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

    // --- control: leases, run states, freezing, cancelling -------------------------------------

    /** Renews the lease on its own thread, so a long freeze or batch never lets it lapse. */
    private void heartbeat() {
        try {
            String id = workerId;
            if (!leases.heartbeat(id)) {
                // declared dead while alive (a long pause): its sends under way were settled and its reservations
                // released; it goes on under a new id, so nothing still running under the old one can take them
                log.warn("Delivery worker {} lost its lease", id);
                abandon(id);
            }
        } catch (RuntimeException e) {
            log.warn("Delivery worker {} heartbeat failed: {}", workerId, e.toString());
        }
    }

    private void controlLoop() {
        long lastRecovery = 0;
        while (running) {
            try {
                long now = System.nanoTime();
                if (now - lastRecovery >= properties.worker().heartbeat().toNanos()) {
                    settleDeadWorkers();
                    lastRecovery = now;
                }
                for (CampaignRuns.ActiveRun run : List.copyOf(runs.values())) {
                    if (!running) {
                        break;
                    }
                    switch (run.state()) {
                        case CampaignRuns.FREEZING -> {
                            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                            while (running && System.nanoTime() < until && freezePage(run)) {
                                // next page at once; the loop comes back within seconds for the rest
                            }
                        }
                        case CampaignRuns.CANCELLING -> cancelRest(run);
                        default -> {
                            if (run.frozen() && !run.audienceRecorded()) {
                                recordAudience(run);
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
            refreshRuns();
        } catch (RuntimeException e) {
            log.warn("Delivery worker could not read the runs: {}", e.toString());
        }
    }

    private void refreshRuns() {
        Map<String, CampaignRuns.ActiveRun> fresh = new HashMap<>();
        campaignRuns.activeRuns().forEach(run -> fresh.put(run.campaignId(), run));
        runs.keySet().retainAll(fresh.keySet());
        runs.putAll(fresh);
        campaigns.keySet().retainAll(fresh.keySet());
    }

    private void settleDeadWorkers() {
        transactions.executeWithoutResult(status -> {
            for (String dead : leases.lockDeadWorkers(properties.worker().lease())) {
                if (dead.equals(workerId)) {
                    continue;
                }
                inUnitOfWork(() -> {
                    List<DeliveryStore.Orphan> orphans = store.settleDeadWorker(dead, properties.retry().maxAttempts());
                    if (!orphans.isEmpty()) {
                        log.warn("Delivery worker {} stopped with {} sends under way: settled by {}", dead,
                                 orphans.size(), workerId);
                        orphans.stream().collect(Collectors.groupingBy(DeliveryStore.Orphan::campaignId))
                                .forEach((campaign, list) -> publish(campaign, list.stream()
                                        .map(DeliveryStore.Orphan::recorded).toList()));
                    }
                });
            }
        });
    }

    /** Writes down one page of the audience (one transaction); the last page freezes it. True: more pages to go. */
    private boolean freezePage(CampaignRuns.ActiveRun run) {
        CampaignMessages messages = messages(run.campaignId());
        if (messages == null) {
            return false;
        }
        boolean[] more = {false};
        CampaignView campaign = messages.campaign();
        boolean frozen = Boolean.TRUE.equals(transactions.execute(status -> {
            var position = campaignRuns.lockFreezing(run.campaignId());
            if (position.isEmpty()) {
                return false; // another worker is at it, or it is no longer freezing
            }
            RecipientPage page = queries.query(new FindCampaignRecipientsQuery(campaign.segmentId(), campaign.channel(),
                                                                               position.get().cursor(),
                                                                               properties.worker().freezePageSize()),
                                               RecipientPage.class).join();
            if (page == null) {
                campaignRuns.freezeEmpty(run.campaignId(), campaign.channel(), campaign.segmentId());
                return true;
            }
            store.writeAudiencePage(run.campaignId(), campaign.channel(), campaign.segmentId(), page);
            more[0] = page.next() != null;
            return page.next() == null;
        }));
        if (frozen) {
            recordAudience(run);
        }
        return more[0];
    }

    private void recordAudience(CampaignRuns.ActiveRun run) {
        CampaignRuns.FrozenAudience audience = campaignRuns.frozenAudience(run.campaignId());
        try {
            commands.sendAndWait(new RecordCampaignAudienceCommand(run.campaignId(), audience.audience(),
                                                                   audience.skippedAtFreeze(), audience.segmentId(),
                                                                   audience.segmentVersion()),
                                 metaData(run.correlationId()));
            campaignRuns.markAudienceRecorded(run.campaignId());
            log.info("Campaign {}: audience frozen, {} recipients ({} skipped)", run.campaignId(),
                     audience.audience(), audience.skippedAtFreeze());
        } catch (RuntimeException e) {
            log.warn("Campaign {}: recording the audience failed ({}); retried", run.campaignId(), e.getMessage());
        }
    }

    private void cancelRest(CampaignRuns.ActiveRun run) {
        while (running) {
            List<Deliveries.Recorded> skipped = new ArrayList<>();
            inUnitOfWork(() -> {
                skipped.addAll(deliveries.skipCancelled(run.campaignId(), 2_000));
                if (!skipped.isEmpty()) {
                    publish(run.campaignId(), skipped);
                }
            });
            if (skipped.isEmpty()) {
                if (!deliveries.hasUnsettled(run.campaignId())) {
                    campaignRuns.finish(run.campaignId());
                }
                return;
            }
        }
    }

    // --- sending ----------------------------------------------------------------------------------

    private void senderLoop() {
        while (running) {
            try {
                if (!sendOneBatch()) {
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

    /** Claims and sends one batch of one campaign; false when no campaign had anything due. */
    private boolean sendOneBatch() throws InterruptedException {
        List<CampaignRuns.ActiveRun> sending = runs.values().stream().filter(CampaignRuns.ActiveRun::sending).toList();
        if (sending.isEmpty()) {
            return false;
        }
        int start = Math.floorMod(roundRobin.getAndIncrement(), sending.size());
        for (int i = 0; i < sending.size(); i++) {
            CampaignRuns.ActiveRun run = sending.get((start + i) % sending.size());
            CampaignMessages messages = messages(run.campaignId());
            if (messages == null) {
                continue;
            }
            int batchSize = batchSize(messages);
            String claimer = workerId;
            List<Deliveries.Claimed> claimed = transactions.execute(
                    status -> deliveries.claim(run.campaignId(), claimer, batchSize));
            if (claimed == null || claimed.isEmpty()) {
                continue;
            }
            try {
                send(run, messages, claimed, claimer);
            } catch (RuntimeException e) {
                // some of the batch may have gone out: it is left SENDING under an id that stops renewing its
                // lease, so it is settled exactly as a dead worker's would be (webhook again, e-mail/SMS UNKNOWN)
                abandon(claimer);
                try {
                    failureLog.logBatchFailure(run.campaignId(), messages.channel(), "batch-failed", e.toString(), claimer);
                } catch (RuntimeException logging) {
                    log.warn("Could not log the failed batch: {}", logging.toString());
                }
                throw e;
            }
            return true;
        }
        return false;
    }

    /** With a rate limit a batch holds about a second of sends, so pause and cancel are felt at once. */
    private int batchSize(CampaignMessages messages) {
        int size = properties.worker().batchSize();
        Integer rate = messages.campaign().throttlePerSecond();
        return rate == null ? size : Math.max(1, Math.min(size, rate));
    }

    /** Gives up a worker id after a failed batch or a lost lease: this worker goes on under a new one. */
    private synchronized void abandon(String claimer) {
        if (claimer.equals(workerId)) {
            workerId = "worker-" + UUID.randomUUID();
            log.warn("Delivery worker {} gives up its id (a batch failed midway, or its lease ran out): what it left "
                             + "is settled once that id's lease lapses. Now {}", claimer, workerId);
            try {
                leases.register(workerId, hostName());
            } catch (RuntimeException e) {
                log.warn("Could not register {} yet: {}", workerId, e.toString());
            }
        }
    }

    private void send(CampaignRuns.ActiveRun run, CampaignMessages messages, List<Deliveries.Claimed> claimed,
                      String claimer) throws InterruptedException {
        Channel channel = messages.channel();
        Map<String, ContactView> contacts = new HashMap<>();
        ContactBatchView found = queries.query(new FindContactsByIdQuery(
                claimed.stream().map(Deliveries.Claimed::contactId).toList()), ContactBatchView.class).join();
        found.contacts().forEach(contact -> contacts.put(contact.id(), contact));

        List<Deliveries.Result> decided = new ArrayList<>();
        List<Deliveries.Claimed> toSend = new ArrayList<>();
        List<OutboundMessage> outbound = new ArrayList<>();
        for (Deliveries.Claimed recipient : claimed) {
            ContactView contact = contacts.get(recipient.contactId());
            String skip = contact == null ? "contact-missing" : messages.skipReason(contact);
            if (skip != null) {
                decided.add(new Deliveries.Result(recipient.contactId(), DeliveryStatus.SKIPPED, skip, null, null,
                                                     null, false, null));
                continue;
            }
            try {
                String unsubscribe = unsubscribeLinks.urlFor(contact.id(), channel, run.campaignId());
                OutboundMessage message = messages.render(contact, unsubscribe);
                if (channel == Channel.WEBHOOK && !Json.isJson(message.payload())) {
                    decided.add(failed(recipient, "payload-invalid", "The payload template did not render to JSON"));
                    continue;
                }
                toSend.add(recipient);
                outbound.add(message);
            } catch (TemplateException e) {
                decided.add(failed(recipient, "template-error", e.problem().message()));
            }
        }
        ChannelAdapter adapter = channels.get(channel);
        if (adapter == null) {
            toSend.forEach(recipient -> decided.add(failed(recipient, "channel-not-configured",
                    "The " + channel.name().toLowerCase() + " channel is not configured")));
            toSend.clear();
        }
        new Pipeline(run, messages, claimer, adapter).run(decided, toSend, outbound);
    }

    /**
     * Sends one reserved batch through a sliding window: at most {@link #window()} of its recipients are
     * SENDING and not yet recorded at any time (so this worker's senders together never have more than
     * {@value #MAX_SENDING_PER_CHANNEL} of a channel), and the window is refilled while the rest are in
     * flight. Each step is one transaction that records the outcomes finished since the last step and marks
     * the next recipients SENDING, committed before they are sent. Recorded outcomes are reported (counters
     * and one {@link DeliveryBatchRecordedEvent}) up to {@value #EVENT_OUTCOMES} at a time, in a step's
     * transaction; until then their ids are journaled under the batch (one small row), so a survivor reports
     * them if this process dies.
     */
    private final class Pipeline {

        private final CampaignRuns.ActiveRun run;
        private final CampaignMessages messages;
        private final String claimer;
        private final ChannelAdapter adapter;
        private final Channel channel;
        /** Outcomes back from the lanes: recipient, message index, result. */
        private final BlockingQueue<Sent> done = new LinkedBlockingQueue<>();
        /** Marked recipients waiting for a lane; {@link #END} stops a lane. */
        private final BlockingQueue<Marked> queue = new LinkedBlockingQueue<>();
        /** Recorded with a final status, journaled under {@link #batchId}, not reported yet. */
        private final List<Deliveries.Recorded> unreported = new ArrayList<>();
        private final String batchId = UUID.randomUUID().toString();

        private Pipeline(CampaignRuns.ActiveRun run, CampaignMessages messages, String claimer,
                         ChannelAdapter adapter) {
            this.run = run;
            this.messages = messages;
            this.claimer = claimer;
            this.adapter = adapter;
            this.channel = messages.channel();
        }

        void run(List<Deliveries.Result> decided, List<Deliveries.Claimed> toSend, List<OutboundMessage> outbound)
                throws InterruptedException {
            int window = window();
            int step = Math.max(1, window / 2);
            int lanes = toSend.isEmpty() ? 0 : Math.max(1, Math.min(concurrency.concurrency(channel), window));
            List<Future<?>> laneTasks = new ArrayList<>(lanes);
            // e-mail sends a few messages per pooled SMTP connection taken (one NOOP check per call), but no more
            // than keeps every lane busy with a step's worth of recipients; HTTP channels send one per call
            int perSend = channel == Channel.EMAIL ? Math.max(1, step / Math.max(1, lanes)) : 1;
            for (int i = 0; i < lanes; i++) {
                laneTasks.add(sends.submit(() -> lane(perSend)));
            }
            List<Deliveries.Result> finished = new ArrayList<>(decided);
            Set<String> finishedMarked = new HashSet<>();
            int next = 0;
            int inFlight = 0;
            try {
                while (true) {
                    CampaignRuns.ActiveRun current = runs.get(run.campaignId());
                    boolean sending = running && current != null && current.sending();
                    int free = window - inFlight;
                    int wanted = sending ? Math.min(free, toSend.size() - next) : 0;
                    // refill once half the window is free (or it is empty): fewer, fuller steps
                    if (wanted > 0 && free < step && inFlight > 0 && next + wanted < toSend.size()) {
                        wanted = 0;
                    }
                    int permits = wanted == 0 ? 0
                            : throttle.acquire(channel, run.campaignId(), messages.campaign().throttlePerSecond(),
                                               wanted);
                    if (permits > 0 || !finished.isEmpty()) {
                        List<Deliveries.Claimed> group = toSend.subList(next, next + permits);
                        List<Deliveries.Claimed> marked = step(finished, finishedMarked, group, false);
                        finished.clear();
                        finishedMarked.clear();
                        Map<String, Integer> position = new HashMap<>();
                        for (int i = 0; i < group.size(); i++) {
                            position.put(group.get(i).contactId(), next + i);
                        }
                        for (Deliveries.Claimed recipient : marked) {
                            // the others were skipped by cancel or released: not this worker's now, never sent
                            int at = position.get(recipient.contactId());
                            queue.add(new Marked(recipient, outbound.get(at)));
                            inFlight++;
                        }
                        next += permits;
                    }
                    if (inFlight == 0 && (next >= toSend.size() || !sending)) {
                        break;
                    }
                    if (inFlight == 0) {
                        continue; // nothing marked this round (all taken by cancel): try the next ones
                    }
                    // at least one outcome, then up to a step's worth while more are in flight
                    do {
                        Sent sent = done.take();
                        inFlight--;
                        finished.add(outcome(sent.recipient(), channel, sent.result()));
                        finishedMarked.add(sent.recipient().contactId());
                        for (Sent more = done.poll(); more != null; more = done.poll()) {
                            inFlight--;
                            finished.add(outcome(more.recipient(), channel, more.result()));
                            finishedMarked.add(more.recipient().contactId());
                        }
                    } while (finished.size() < step && inFlight > 0);
                }
                // not sent (paused, cancelled, stopping): back to PENDING as they were, attempts unchanged
                for (int i = next; i < toSend.size(); i++) {
                    finished.add(new Deliveries.Result(toSend.get(i).contactId(), DeliveryStatus.PENDING, null,
                                                          null, null, null, false, null));
                }
                step(finished, finishedMarked, List.of(), true);
            } finally {
                for (int i = 0; i < lanes; i++) {
                    queue.add(END);
                }
                if (inFlight > 0) {
                    laneTasks.forEach(task -> task.cancel(true));
                }
            }
        }

        /**
         * One transaction: records {@code finished}, reports what was recorded once there is enough of it
         * (or {@code last}), and marks {@code group} SENDING. Returns the recipients marked.
         */
        private List<Deliveries.Claimed> step(List<Deliveries.Result> finished, Set<String> marked,
                                                 List<Deliveries.Claimed> group, boolean last) {
            if (finished.isEmpty() && group.isEmpty() && (!last || unreported.isEmpty())) {
                return List.of();
            }
            List<Deliveries.Claimed> result = new ArrayList<>();
            inUnitOfWork(() -> {
                List<Deliveries.Recorded> published = new ArrayList<>();
                List<Deliveries.Recorded> fresh = new ArrayList<>();
                for (Deliveries.Recorded recorded : deliveries.record(run.campaignId(), channel, claimer, finished,
                                                                    marked)) {
                    if (recorded.status() != DeliveryStatus.PENDING) {
                        fresh.add(recorded);
                    } else if (recorded.reason() != null) {
                        published.add(recorded); // a retry: not counted, reported now
                    }
                }
                if (last || unreported.size() + fresh.size() + window() > EVENT_OUTCOMES) {
                    published.addAll(unreportedOutcomes.report(batchId, run.campaignId(), unreported, fresh));
                    unreported.clear();
                } else {
                    unreportedOutcomes.journal(batchId, claimer, run.campaignId(), fresh);
                    unreported.addAll(fresh);
                }
                publish(run.campaignId(), published);
                if (!group.isEmpty()) {
                    result.addAll(deliveries.markSending(run.campaignId(), claimer,
                                                    group.stream().map(Deliveries.Claimed::contactId).toList()));
                }
            });
            return result;
        }

        /** Sends marked recipients as they come, {@code perSend} at most in one call (one SMTP connection). */
        private void lane(int perSend) {
            List<Marked> taken = new ArrayList<>(perSend);
            while (true) {
                taken.clear();
                try {
                    taken.add(queue.take());
                } catch (InterruptedException e) {
                    return;
                }
                queue.drainTo(taken, perSend - 1);
                int ends = (int) taken.stream().filter(marked -> marked == END).count();
                taken.removeIf(marked -> marked == END);
                for (int i = 1; i < ends; i++) {
                    queue.add(END); // another lane's
                }
                boolean end = ends > 0;
                if (!taken.isEmpty()) {
                    List<SendResult> results = safeSendAll(adapter, taken.stream().map(Marked::message).toList());
                    for (int i = 0; i < taken.size(); i++) {
                        done.add(new Sent(taken.get(i).recipient(), results.get(i)));
                    }
                }
                if (end) {
                    return;
                }
            }
        }
    }

    private record Marked(Deliveries.Claimed recipient, OutboundMessage message) {
    }

    private record Sent(Deliveries.Claimed recipient, SendResult result) {
    }

    private static final Marked END = new Marked(null, null);

    /**
     * The most recipients one sender has SENDING and not yet recorded: {@value #MAX_SENDING_PER_CHANNEL} over
     * this worker's senders, so however many of them work on one channel, a crash leaves at most
     * {@value #MAX_SENDING_PER_CHANNEL} of it in flight.
     */
    private int window() {
        return Math.max(1, MAX_SENDING_PER_CHANNEL / Math.max(1, properties.worker().senders()));
    }

    /** An adapter that throws leaves its messages' outcome unknown (it may have sent some). */
    private static List<SendResult> safeSendAll(ChannelAdapter adapter, List<OutboundMessage> messages) {
        try {
            return adapter.sendAll(messages);
        } catch (RuntimeException e) {
            return messages.stream().map(m -> SendResult.unknown(e.toString())).toList();
        }
    }

    private Deliveries.Result outcome(Deliveries.Claimed recipient, Channel channel, SendResult result) {
        return switch (result.outcome()) {
            case SENT -> new Deliveries.Result(recipient.contactId(), DeliveryStatus.SENT, null,
                                                  result.providerMessageId(), null, null, true, null);
            case PERMANENT_FAILURE -> failed(recipient, "rejected", result.error());
            case UNKNOWN -> channel == Channel.WEBHOOK
                    ? retryOrFail(recipient, "outcome-unknown", result.error())
                    : new Deliveries.Result(recipient.contactId(), DeliveryStatus.UNKNOWN, "outcome-unknown", null,
                                               result.error(), null, true, "UNKNOWN");
            case TRANSIENT_FAILURE -> retryOrFail(recipient, "transient", result.error());
        };
    }

    private Deliveries.Result retryOrFail(Deliveries.Claimed recipient, String reason, String error) {
        int attempts = recipient.attempts();
        if (attempts >= properties.retry().maxAttempts()) {
            return new Deliveries.Result(recipient.contactId(), DeliveryStatus.FAILED, "retries-exhausted", null,
                                            error, null, true, "FAILED");
        }
        return new Deliveries.Result(recipient.contactId(), DeliveryStatus.PENDING, reason, null, error,
                                        clock.instant().plus(backoff(attempts)), true, "RETRY_SCHEDULED");
    }

    /** Exponential backoff with full jitter between half and all of the step. */
    Duration backoff(int attempts) {
        long base = properties.retry().initialBackoff().toMillis();
        long max = properties.retry().maxBackoff().toMillis();
        long step = Math.min(max, base << Math.min(20, Math.max(0, attempts - 1)));
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    private static Deliveries.Result failed(Deliveries.Claimed recipient, String reason, String error) {
        return new Deliveries.Result(recipient.contactId(), DeliveryStatus.FAILED, reason, null, error, null, true,
                                        "FAILED");
    }

    // --- helpers ------------------------------------------------------------------------------

    private CampaignMessages messages(String campaignId) {
        CampaignMessages cached = campaigns.get(campaignId);
        if (cached != null) {
            return cached;
        }
        CampaignView campaign = queries.query(new FindCampaignQuery(campaignId), CampaignView.class).join();
        if (campaign == null) {
            return null; // the read model has not caught up yet
        }
        try {
            CampaignMessages messages = new CampaignMessages(campaign);
            campaigns.put(campaignId, messages);
            return messages;
        } catch (TemplateException e) {
            // templates are checked when a campaign is written; a stored one that no longer parses fails each send
            log.warn("Campaign {}: template error {}", campaignId, e.problem().message());
            return null;
        }
    }

    /** Publishes a batch's outcomes as one event, in the current unit of work (the batch's transaction). */
    private void publish(String campaignId, List<Deliveries.Recorded> recorded) {
        if (recorded.isEmpty()) {
            return;
        }
        CampaignRuns.ActiveRun run = runs.get(campaignId);
        // at most EVENT_OUTCOMES recipients per event: events stay small in the store and in its cache
        for (int from = 0; from < recorded.size(); from += EVENT_OUTCOMES) {
            List<Deliveries.Recorded> part = recorded.subList(from, Math.min(recorded.size(), from + EVENT_OUTCOMES));
            eventBus.publish(GenericEventMessage.asEventMessage(batchEvent(campaignId, part))
                                     .andMetaData(metaData(run == null ? null : run.correlationId())));
        }
    }

    private DeliveryBatchRecordedEvent batchEvent(String campaignId, List<Deliveries.Recorded> recorded) {
        CampaignRuns.Tally tally = CampaignRuns.Tally.of(recorded);
        return new DeliveryBatchRecordedEvent(campaignId, workerId, clock.instant(), tally.sent(), tally.failed(),
                                              tally.skipped(), tally.unknown(),
                                              recorded.stream().map(Deliveries.Recorded::outcome).toList());
    }

    private MetaData metaData(String correlationId) {
        MetaData metaData = MetaData.with(MetadataKeys.ACTOR, CampaignSendSaga.ACTOR);
        return correlationId == null ? metaData : metaData.and(MetadataKeys.CORRELATION_ID, correlationId);
    }

    /** Runs in one transaction with an Axon unit of work, so published events commit with the rows. */
    private void inUnitOfWork(Runnable work) {
        if (CurrentUnitOfWork.isStarted()) {
            work.run();
            return;
        }
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.attachTransaction(axonTransactions);
        unitOfWork.execute(work);
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
        } catch (Exception e) {
            return "pid-" + ProcessHandle.current().pid();
        }
    }

}
