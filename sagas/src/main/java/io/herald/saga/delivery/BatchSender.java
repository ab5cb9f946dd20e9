package io.herald.saga.delivery;

import io.herald.eventstore.database.Json;
import io.herald.api.campaign.CampaignFailedEvent;
import io.herald.api.campaign.Channel;
import io.herald.api.campaign.FailCampaignCommand;
import io.herald.api.contact.ContactBatchView;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.FindContactsByIdQuery;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.saga.channel.ChannelAdapter;
import io.herald.saga.policy.MessagingPolicyGate;
import io.herald.saga.channel.OutboundMessage;
import io.herald.saga.channel.SendResult;
import io.herald.saga.delivery.CampaignRuns.ActiveRun;
import io.herald.saga.delivery.Deliveries.Claimed;
import io.herald.saga.delivery.Deliveries.Recorded;
import io.herald.saga.delivery.Deliveries.Result;
import io.herald.saga.engagement.EmailTracking;
import io.herald.template.TemplateException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static io.herald.saga.delivery.Outcomes.failed;

/**
 * What a sender thread does: claims a batch of one sending campaign (round robin), decides each recipient
 * (skipped, or rendered for its channel), sends the rendered ones in groups on parallel sends, and records
 * the batch's results with their events in one transaction.
 * <p>
 * A group is at most this sender's share of {@code herald.delivery.worker.max-in-flight}, and before each
 * group goes out the {@link DeliveryJournal} gets which recipients it holds and what the group before came to
 * (one short insert). So a crash leaves at most one group per sender whose outcome nobody knows, while the
 * delivery table is still written once per batch.
 */
final class BatchSender {

    // the worker's log: one logger for all its parts
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final ActiveCampaigns active;
    private final Deliveries deliveries;
    private final DeliveryJournal journal;
    private final FailureLog failureLog;
    private final WorkerLease lease;
    private final Outcomes outcomes;
    private final DeliveryProperties properties;
    private final Map<Channel, ChannelAdapter> channels;
    private final SendThrottle throttle;
    private final DeliveryMetrics metrics;
    private final ChannelConcurrency concurrency;
    private final UnsubscribeLinks unsubscribeLinks;
    private final EmailTracking emailTracking;
    private final QueryGateway queries;
    private final TransactionTemplate transactions;
    private final BooleanSupplier running;
    /** The worker's executor for parallel sends (one virtual thread each), made when the worker starts. */
    private final Supplier<ExecutorService> sends;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final DeliveryTracing tracing;
    private final MessagingPolicyGate policy;
    private final java.time.Clock clock;
    private final CommandGateway commands;
    /** Campaigns this worker has asked to fail (a channel without settings), so each batch does not ask again. */
    private final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    BatchSender(ActiveCampaigns active, Deliveries deliveries, DeliveryJournal journal, FailureLog failureLog,
                WorkerLease lease,
                Outcomes outcomes, DeliveryProperties properties, Map<Channel, ChannelAdapter> channels,
                SendThrottle throttle, ChannelConcurrency concurrency, UnsubscribeLinks unsubscribeLinks,
                EmailTracking emailTracking,
                QueryGateway queries, TransactionTemplate transactions, BooleanSupplier running,
                Supplier<ExecutorService> sends, DeliveryMetrics metrics, DeliveryTracing tracing,
                MessagingPolicyGate policy, java.time.Clock clock, CommandGateway commands) {
        this.commands = commands;
        this.policy = policy;
        this.clock = clock;
        this.active = active;
        this.deliveries = deliveries;
        this.journal = journal;
        this.failureLog = failureLog;
        this.lease = lease;
        this.outcomes = outcomes;
        this.properties = properties;
        this.channels = channels;
        this.throttle = throttle;
        this.concurrency = concurrency;
        this.unsubscribeLinks = unsubscribeLinks;
        this.emailTracking = emailTracking;
        this.queries = queries;
        this.transactions = transactions;
        this.running = running;
        this.sends = sends;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /** Claims and sends one batch of one campaign; false when no campaign had anything due. */
    boolean sendOneBatch() throws InterruptedException {
        List<ActiveRun> sending = active.sending();
        if (sending.isEmpty()) {
            return false;
        }
        if (!failing.isEmpty()) {
            failing.removeIf(campaignId -> active.run(campaignId) == null); // runs done: forgotten
        }
        int start = Math.floorMod(roundRobin.getAndIncrement(), sending.size());
        for (int i = 0; i < sending.size(); i++) {
            ActiveRun run = sending.get((start + i) % sending.size());
            if (failing.contains(run.campaignId())) {
                continue; // asked to fail: no further batch, until the campaign is FAILED and the run stops
            }
            CampaignMessages messages = active.messages(run.campaignId());
            if (messages == null) {
                continue;
            }
            int batchSize = batchSize(messages);
            String claimer = lease.workerId();
            UUID claimId = UUID.randomUUID();
            List<Claimed> claimed = transactions.execute(status -> {
                List<Claimed> rows = deliveries.claim(run.campaignId(), claimer, batchSize);
                if (!rows.isEmpty()) {
                    journal.claimed(claimer, claimId, run.campaignId(), rows.stream().map(Claimed::contactId).toList());
                }
                return rows;
            });
            if (claimed == null || claimed.isEmpty()) {
                continue;
            }
            try (DeliveryTracing.RunScope inRun = DeliveryTracing.forRun(run);
                 DeliveryTracing.Batch batch = tracing.batch(run.traceparent(), run.launchedAt(), run.campaignId(),
                                                             messages.channel(), claimed.size())) {
                batch.record(send(run, messages, claimed, claimer, claimId));
            } catch (RuntimeException e) {
                // some of the batch may have gone out: it is left SENDING under an id that stops renewing its
                // lease, so it is settled exactly as a dead worker's would be (webhook again, e-mail/SMS UNKNOWN)
                lease.abandon(claimer);
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

    /**
     * The messaging policy on the recipients about to be sent to: those in their quiet hours go back to PENDING until
     * the window ends (the attempt taken back); those over the channel's frequency cap are SKIPPED
     * ({@code frequency-cap}); the others are counted, in a transaction committed before any of them is sent.
     */
    private void applyPolicy(Channel channel, Map<String, ContactView> contacts, List<Claimed> toSend,
                             List<OutboundMessage> outbound, List<Result> results) {
        io.herald.api.policy.MessagingPolicy current = policy.policy();
        boolean quietHours = current.quietHours() != null && current.quietHours().effectiveChannels().contains(channel);
        if (toSend.isEmpty() || !quietHours && current.capOf(channel) == null) {
            return; // nothing the policy asks of this channel
        }
        java.time.Instant now = clock.instant();
        Map<UUID, String> zones = new java.util.LinkedHashMap<>();
        for (int i = toSend.size() - 1; i >= 0; i--) {
            ContactView contact = contacts.get(toSend.get(i).contactId());
            java.time.Instant quiet = policy.quietUntil(channel, contact.timeZone(), now);
            if (quiet != null) {
                results.add(new Result(contact.id(), DeliveryStatus.PENDING, MessagingPolicyGate.QUIET_HOURS, null,
                                       null, quiet, false, null));
                toSend.remove(i);
                outbound.remove(i);
            } else {
                zones.put(UUID.fromString(contact.id()), contact.timeZone() == null ? "" : contact.timeZone());
            }
        }
        java.util.Set<UUID> capped = transactions.execute(status -> policy.takeAll(zones, channel, now));
        if (capped == null || capped.isEmpty()) {
            return;
        }
        for (int i = toSend.size() - 1; i >= 0; i--) {
            if (capped.contains(UUID.fromString(toSend.get(i).contactId()))) {
                results.add(new Result(toSend.get(i).contactId(), DeliveryStatus.SKIPPED,
                                       MessagingPolicyGate.FREQUENCY_CAP, null, null, null, false, null));
                toSend.remove(i);
                outbound.remove(i);
            }
        }
    }

    /** With a rate limit a batch holds about a second of sends, so pause and cancel are felt at once. */
    private int batchSize(CampaignMessages messages) {
        int size = properties.worker().batchSize();
        Integer rate = messages.definition().throttlePerSecond();
        return rate == null ? size : Math.max(1, Math.min(size, rate));
    }

    /** The batch's results, as recorded. */
    private List<Result> send(ActiveRun run, CampaignMessages messages, List<Claimed> claimed, String claimer,
                              UUID claimId) throws InterruptedException {
        Channel channel = messages.channel();
        Map<String, ContactView> contacts = new HashMap<>();
        ContactBatchView found = queries.query(new FindContactsByIdQuery(
                claimed.stream().map(Claimed::contactId).toList()), ContactBatchView.class).join();
        found.contacts().forEach(contact -> contacts.put(contact.id(), contact));

        List<Result> results = new ArrayList<>(claimed.size());
        List<Claimed> toSend = new ArrayList<>();
        List<OutboundMessage> outbound = new ArrayList<>();
        for (Claimed recipient : claimed) {
            ContactView contact = contacts.get(recipient.contactId());
            String skip = contact == null ? "contact-missing" : messages.skipReason(contact);
            if (skip != null) {
                results.add(new Result(recipient.contactId(), DeliveryStatus.SKIPPED, skip, null, null, null,
                                       false, null));
                continue;
            }
            try {
                String unsubscribe = unsubscribeLinks.urlFor(contact.id(), channel, run.campaignId());
                OutboundMessage message = messages.render(contact, unsubscribe);
                if (channel == Channel.EMAIL) {
                    message = emailTracking.forCampaign(message, run.campaignId(), contact.id(), messages.content());
                }
                if (channel == Channel.WEBHOOK && !Json.isJson(message.payload())) {
                    results.add(failed(recipient, "payload-invalid", "The payload template did not render to JSON"));
                    continue;
                }
                toSend.add(recipient);
                outbound.add(message);
            } catch (TemplateException e) {
                results.add(failed(recipient, "template-error", e.problem().message()));
            }
        }

        if (!messages.definition().policyExempt()) {
            applyPolicy(channel, contacts, toSend, outbound, results);
        }

        ChannelAdapter adapter = channels.get(channel) == null ? null : tracing.traced(channels.get(channel));
        // recipients the SMTP server refused with a 5xx: hard bounces, recorded with the batch
        List<io.herald.api.feedback.EmailBouncedEvent> bounces = new ArrayList<>();
        int index = 0;
        int step = 0;
        List<Result> lastGroup = List.of();
        while (index < outbound.size()) {
            ActiveRun current = active.run(run.campaignId());
            if (!running.getAsBoolean() || current == null || !current.sending() || adapter == null) {
                break;
            }
            int wanted = Math.min(outbound.size() - index, Math.min(properties.worker().groupPerSender(),
                    Math.max(1, concurrency.concurrency(channel)) * groupPerSend(channel)));
            int permits = metrics.acquire(throttle, channel, run.campaignId(),
                                          messages.definition().throttlePerSecond(), wanted);
            // written down before the group goes out, with what the group before came to
            journal.write(claimer, claimId, ++step, run.campaignId(),
                          toSend.subList(index, index + permits).stream().map(Claimed::contactId).toList(), lastGroup);
            List<SendResult> sent = sendConcurrently(adapter, channel, outbound.subList(index, index + permits));
            List<Result> group = new ArrayList<>(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                Result outcome = outcomes.outcome(toSend.get(index + i), channel, sent.get(i));
                group.add(outcome);
                if (sent.get(i).hardBounce() && outcome.status() == DeliveryStatus.FAILED) {
                    bounces.add(io.herald.saga.feedback.SmtpBounces.of(run.campaignId(), null, null, toSend.get(index + i).contactId(),
                                               outbound.get(index + i), sent.get(i), clock.instant()));
                }
            }
            results.addAll(group);
            lastGroup = group;
            index += permits;
        }
        // not sent (paused, cancelled, stopping, or no adapter for the channel)
        for (int i = index; i < toSend.size(); i++) {
            Claimed recipient = toSend.get(i);
            if (adapter == null) {
                results.add(failed(recipient, CampaignFailedEvent.CHANNEL_NOT_CONFIGURED,
                                   "The " + channel.name().toLowerCase() + " channel is not configured"));
            } else {
                results.add(new Result(recipient.contactId(), DeliveryStatus.PENDING, null, null, null, null,
                                       false, null));
            }
        }
        if (adapter == null && !toSend.isEmpty()) {
            // before the batch is recorded: the campaign is FAILED before its last recipients settle, so the saga
            // never completes it instead
            failForMissingChannel(run, channel);
        }
        List<Recorded> committed = new ArrayList<>();
        outcomes.inUnitOfWork(() -> {
            List<Recorded> recorded = deliveries.record(run.campaignId(), channel, claimer, results);
            journal.clear(claimer, claimId);
            outcomes.publish(run.campaignId(), recorded.stream()
                    .filter(r -> r.status() != DeliveryStatus.PENDING || r.reason() != null).toList());
            bounces.forEach(bounce -> outcomes.publishFeedback(bounce, run));
            committed.addAll(recorded);
        });
        metrics.recorded(channel, committed); // herald.sends, once the batch's transaction has committed
        return results;
    }

    /**
     * No send of this run can go out (Herald has no settings for its channel): the campaign FAILS, and the saga stops
     * the run (what is left is skipped); the batch's own recipients are then recorded FAILED
     * ({@code channel-not-configured}). Asked once per campaign by this worker (and again with the next batch only
     * when the command did not get through); the campaign answers a second ask without a second event.
     */
    private void failForMissingChannel(ActiveRun run, Channel channel) {
        if (failing.contains(run.campaignId())) {
            return;
        }
        String detail = "The " + channel.name().toLowerCase() + " channel is not configured: no send can go out";
        try {
            commands.sendAndWait(new FailCampaignCommand(run.campaignId(), CampaignFailedEvent.CHANNEL_NOT_CONFIGURED,
                                                         detail), Outcomes.metaData(run));
            failing.add(run.campaignId());
            log.warn("Campaign {} failed: {}", run.campaignId(), detail);
        } catch (RuntimeException e) {
            log.warn("Campaign {}: could not be marked failed ({}); asked again with its next batch", run.campaignId(),
                     e.getMessage());
        }
    }

    /**
     * Messages per parallel send in a group: e-mail sends a part over one SMTP connection, so parts are
     * long (connection set-up is most of the cost of a short one); HTTP channels reuse pooled connections.
     */
    private static int groupPerSend(Channel channel) {
        return channel == Channel.EMAIL ? 50 : 4;
    }

    private List<SendResult> sendConcurrently(ChannelAdapter adapter, Channel channel, List<OutboundMessage> group)
            throws InterruptedException {
        int parallel = Math.max(1, Math.min(concurrency.concurrency(channel), group.size()));
        if (parallel == 1) {
            return safeSendAll(adapter, group);
        }
        int per = (group.size() + parallel - 1) / parallel;
        List<Future<List<SendResult>>> futures = new ArrayList<>();
        for (int from = 0; from < group.size(); from += per) {
            List<OutboundMessage> part = group.subList(from, Math.min(group.size(), from + per));
            futures.add(sends.get().submit(tracing.inCurrentContext(() -> safeSendAll(adapter, part))));
        }
        List<SendResult> results = new ArrayList<>(group.size());
        for (Future<List<SendResult>> future : futures) {
            try {
                results.addAll(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return results;
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
