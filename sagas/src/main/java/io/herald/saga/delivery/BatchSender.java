package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.contact.ContactBatchView;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.FindContactsByIdQuery;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.saga.channel.ChannelAdapter;
import io.herald.saga.channel.OutboundMessage;
import io.herald.saga.channel.SendResult;
import io.herald.saga.delivery.CampaignRuns.ActiveRun;
import io.herald.saga.delivery.Deliveries.Claimed;
import io.herald.saga.delivery.Deliveries.Recorded;
import io.herald.saga.delivery.Deliveries.Result;
import io.herald.template.TemplateException;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static io.herald.saga.delivery.Outcomes.REPORT_OUTCOMES;
import static io.herald.saga.delivery.Outcomes.failed;

/**
 * What a sender thread does: reserves a batch of one sending campaign (round robin), decides each recipient
 * (skipped, or rendered for its channel), and sends the rendered ones through a sliding window
 * ({@link Pipeline}) on parallel lanes.
 */
final class BatchSender {

    // the worker's log: one logger for all its parts
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    /** The most recipients of one channel this worker has SENDING at once: what a crash can leave behind. */
    static final int MAX_SENDING_PER_CHANNEL = 64;

    private final ActiveCampaigns active;
    private final DeliveryStore store;
    private final Deliveries deliveries;
    private final UnreportedOutcomes unreportedOutcomes;
    private final FailureLog failureLog;
    private final WorkerLease lease;
    private final Outcomes outcomes;
    private final DeliveryProperties properties;
    private final Map<Channel, ChannelAdapter> channels;
    private final SendThrottle throttle;
    private final ChannelConcurrency concurrency;
    private final UnsubscribeLinks unsubscribeLinks;
    private final QueryGateway queries;
    private final TransactionTemplate transactions;
    private final BooleanSupplier running;
    /** The worker's executor for the lanes' sends (one virtual thread each), made when the worker starts. */
    private final Supplier<ExecutorService> sends;
    private final AtomicInteger roundRobin = new AtomicInteger();

    BatchSender(ActiveCampaigns active, DeliveryStore store, Deliveries deliveries, UnreportedOutcomes unreportedOutcomes,
                FailureLog failureLog,
                WorkerLease lease, Outcomes outcomes, DeliveryProperties properties,
                Map<Channel, ChannelAdapter> channels, SendThrottle throttle, ChannelConcurrency concurrency,
                UnsubscribeLinks unsubscribeLinks, QueryGateway queries, TransactionTemplate transactions,
                BooleanSupplier running, Supplier<ExecutorService> sends) {
        this.active = active;
        this.store = store;
        this.deliveries = deliveries;
        this.unreportedOutcomes = unreportedOutcomes;
        this.failureLog = failureLog;
        this.lease = lease;
        this.outcomes = outcomes;
        this.properties = properties;
        this.channels = channels;
        this.throttle = throttle;
        this.concurrency = concurrency;
        this.unsubscribeLinks = unsubscribeLinks;
        this.queries = queries;
        this.transactions = transactions;
        this.running = running;
        this.sends = sends;
    }

    /** Claims and sends one batch of one campaign; false when no campaign had anything due. */
    boolean sendOneBatch() throws InterruptedException {
        List<ActiveRun> sending = active.sending();
        if (sending.isEmpty()) {
            return false;
        }
        int start = Math.floorMod(roundRobin.getAndIncrement(), sending.size());
        for (int i = 0; i < sending.size(); i++) {
            ActiveRun run = sending.get((start + i) % sending.size());
            CampaignMessages messages = active.messages(run.campaignId());
            if (messages == null) {
                continue;
            }
            int batchSize = batchSize(messages);
            String claimer = lease.workerId();
            List<Claimed> claimed = transactions.execute(
                    status -> deliveries.claim(run.campaignId(), claimer, batchSize));
            if (claimed == null || claimed.isEmpty()) {
                continue;
            }
            try {
                send(run, messages, claimed, claimer);
            } catch (RuntimeException e) {
                // some of the batch may have gone out: it is left SENDING under an id that stops renewing its
                // lease, so it is settled exactly as a dead worker's would be (webhook again, e-mail/SMS UNKNOWN)
                lease.abandon(claimer);
                try {
                    failureLog.logBatchFailure(run.campaignId(), messages.channel(), "batch-failed", e.toString(),
                                               claimer);
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

    private void send(ActiveRun run, CampaignMessages messages, List<Claimed> claimed, String claimer)
            throws InterruptedException {
        Channel channel = messages.channel();
        Map<String, ContactView> contacts = new HashMap<>();
        ContactBatchView found = queries.query(new FindContactsByIdQuery(
                claimed.stream().map(Claimed::contactId).toList()), ContactBatchView.class).join();
        found.contacts().forEach(contact -> contacts.put(contact.id(), contact));

        List<Result> decided = new ArrayList<>();
        List<Claimed> toSend = new ArrayList<>();
        List<OutboundMessage> outbound = new ArrayList<>();
        for (Claimed recipient : claimed) {
            ContactView contact = contacts.get(recipient.contactId());
            String skip = contact == null ? "contact-missing" : messages.skipReason(contact);
            if (skip != null) {
                decided.add(new Result(recipient.contactId(), DeliveryStatus.SKIPPED, skip, null, null, null,
                                       false, null));
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
     * and one {@link DeliveryBatchRecordedEvent}) once {@value Outcomes#REPORT_OUTCOMES} are waiting, in a step's
     * transaction; until then their ids are journaled under the batch (one small row), so a survivor reports
     * them if this process dies.
     */
    private final class Pipeline {

        private final ActiveRun run;
        private final CampaignMessages messages;
        private final String claimer;
        private final ChannelAdapter adapter;
        private final Channel channel;
        /** Outcomes back from the lanes: recipient, message index, result. */
        private final BlockingQueue<Sent> done = new LinkedBlockingQueue<>();
        /** Marked recipients waiting for a lane; {@link #END} stops a lane. */
        private final BlockingQueue<Marked> queue = new LinkedBlockingQueue<>();
        /** Recorded with a final status, journaled under {@link #batchId}, not reported yet. */
        private final List<Recorded> unreported = new ArrayList<>();
        private final String batchId = UUID.randomUUID().toString();

        private Pipeline(ActiveRun run, CampaignMessages messages, String claimer, ChannelAdapter adapter) {
            this.run = run;
            this.messages = messages;
            this.claimer = claimer;
            this.adapter = adapter;
            this.channel = messages.channel();
        }

        void run(List<Result> decided, List<Claimed> toSend, List<OutboundMessage> outbound)
                throws InterruptedException {
            int window = window();
            int step = Math.max(1, window * 3 / 4);
            int lanes = toSend.isEmpty() ? 0 : Math.max(1, Math.min(concurrency.concurrency(channel), window));
            List<Future<?>> laneTasks = new ArrayList<>(lanes);
            // e-mail sends a few messages per pooled SMTP connection taken (one NOOP check per call), but no more
            // than keeps every lane busy with a step's worth of recipients; HTTP channels send one per call
            int perSend = channel == Channel.EMAIL ? Math.max(1, step / Math.max(1, lanes)) : 1;
            for (int i = 0; i < lanes; i++) {
                laneTasks.add(sends.get().submit(() -> lane(perSend)));
            }
            List<Result> finished = new ArrayList<>(decided);
            Set<String> finishedMarked = new HashSet<>();
            int next = 0;
            int inFlight = 0;
            try {
                while (true) {
                    ActiveRun current = active.run(run.campaignId());
                    boolean sending = running.getAsBoolean() && current != null && current.sending();
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
                        List<Claimed> group = toSend.subList(next, next + permits);
                        List<Claimed> marked = step(finished, finishedMarked, group, false);
                        finished.clear();
                        finishedMarked.clear();
                        Map<String, Integer> position = new HashMap<>();
                        for (int i = 0; i < group.size(); i++) {
                            position.put(group.get(i).contactId(), next + i);
                        }
                        for (Claimed recipient : marked) {
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
                        finished.add(outcomes.outcome(sent.recipient(), channel, sent.result()));
                        finishedMarked.add(sent.recipient().contactId());
                        for (Sent more = done.poll(); more != null; more = done.poll()) {
                            inFlight--;
                            finished.add(outcomes.outcome(more.recipient(), channel, more.result()));
                            finishedMarked.add(more.recipient().contactId());
                        }
                    } while (finished.size() < step && inFlight > 0);
                }
                // not sent (paused, cancelled, stopping): back to PENDING as they were, attempts unchanged
                for (int i = next; i < toSend.size(); i++) {
                    finished.add(new Result(toSend.get(i).contactId(), DeliveryStatus.PENDING, null, null, null,
                                            null, false, null));
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
        private List<Claimed> step(List<Result> finished, Set<String> marked, List<Claimed> group,
                                   boolean last) {
            if (finished.isEmpty() && group.isEmpty() && (!last || unreported.isEmpty())) {
                return List.of();
            }
            List<Claimed> result = new ArrayList<>();
            long finals = finished.stream().filter(r -> r.status() != DeliveryStatus.PENDING).count();
            boolean report = last || unreported.size() + finals >= REPORT_OUTCOMES;
            List<String> toMark = group.stream().map(Claimed::contactId).toList();
            outcomes.inUnitOfWork(() -> {
                List<Recorded> published = new ArrayList<>();
                List<Recorded> fresh = new ArrayList<>();
                List<Recorded> recorded;
                if (report) {
                    recorded = deliveries.record(run.campaignId(), channel, claimer, finished, marked);
                } else {
                    // most steps: record, journal and mark in one statement
                    DeliveryStore.Step step = store.recordJournalAndMark(run.campaignId(), channel, claimer, finished,
                                                                         marked, batchId, toMark);
                    recorded = step.recorded();
                    result.addAll(step.marked());
                }
                for (Recorded row : recorded) {
                    if (row.status() != DeliveryStatus.PENDING) {
                        fresh.add(row);
                    } else if (row.reason() != null) {
                        published.add(row); // a retry: not counted, reported now
                    }
                }
                if (report) {
                    published.addAll(unreportedOutcomes.report(batchId, run.campaignId(), unreported, fresh));
                    unreported.clear();
                    if (!toMark.isEmpty()) {
                        result.addAll(deliveries.markSending(run.campaignId(), claimer, toMark));
                    }
                } else {
                    unreported.addAll(fresh); // journaled by the statement above
                }
                outcomes.publish(run.campaignId(), published);
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

    private record Marked(Claimed recipient, OutboundMessage message) {
    }

    private record Sent(Claimed recipient, SendResult result) {
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
}
