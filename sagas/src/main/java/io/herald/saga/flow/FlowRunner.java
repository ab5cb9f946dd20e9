package io.herald.saga.flow;

import io.herald.api.contact.ChangeContactConsentCommand;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.FindContactQuery;
import io.herald.api.contact.UpdateContactCommand;
import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowRunState;
import io.herald.api.flow.FlowStatus;
import io.herald.api.flow.FlowVersionView;
import io.herald.api.segment.ContactMatchesRuleQuery;
import io.herald.api.segment.ContactsMatchRuleQuery;
import io.herald.api.segment.RuleMatchesView;
import io.herald.api.segment.RuleMatchView;
import io.herald.saga.channel.ChannelAdapter;
import io.herald.saga.channel.OutboundMessage;
import io.herald.saga.channel.SendResult;
import io.herald.api.campaign.Channel;
import io.herald.saga.delivery.CampaignMessages;
import io.herald.saga.delivery.ChannelConcurrency;
import io.herald.saga.delivery.FailureLog;
import io.herald.saga.delivery.SendThrottle;
import io.herald.saga.delivery.UnsubscribeLinks;
import io.herald.saga.policy.MessagingPolicyGate;
import io.herald.api.policy.MessagingPolicy;
import io.herald.template.ContactVariables;
import io.herald.template.LiquidTemplates;
import io.herald.template.TemplateException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Moves claimed runs on, node after node, until they wait, are held or end: a claimed batch through the nodes that
 * only touch the database and through send nodes, all its runs together ({@link #runBatch}; a send node's messages
 * are written down as {@code sending} for the batch in one committed statement before any goes out, then sent in
 * parallel and recorded together), then each run that goes on further one by one ({@link #run}). Every step is written with its
 * decision-log row ({@link FlowRunStore#move}, fenced by the claim) and committed before the next node that does
 * something outside the database (a contact update, a webhook, a send) runs; steps that do not are committed
 * together. A worker killed between commits leaves the run at the last committed node, claimed again when the
 * lease runs out. A webhook is written down ({@code webhook-sending}) before it is sent, with the Idempotency-Key
 * {@code <runId>:<nodeId>}: after a crash it is sent again with the same key.
 */
final class FlowRunner {

    private static final Logger log = LoggerFactory.getLogger(FlowRunner.class);
    private static final LiquidTemplates TEMPLATES = new LiquidTemplates();
    /** Nodes one claim moves a run through at most (loops go through waits, so this is a safety net). */
    private static final int MAX_STEPS = 100;
    /** Rounds of {@link #runBatch} (database-only nodes, then sends) per claim at most; the rest go on one by one. */
    private static final int MAX_ROUNDS = 20;

    static final String REASON_WAIT = "wait";
    /** Waiting at a wait_for_event node until the event or the timeout ({@code due_at}). */
    static final String REASON_WAIT_FOR_EVENT = "wait-for-event";
    /** The awaited event came ({@link FlowRunStore#wake}): the run goes on at the node's {@code next}. */
    static final String REASON_EVENT_RECEIVED = "event-received";
    /** A send node's message is going out ({@link FlowRunStore#markSending}). */
    static final String REASON_SENDING = "sending";

    private final FlowRunStore store;
    private final FlowDefinitions definitions;
    private final QueryGateway queries;
    private final CommandGateway commands;
    private final ChannelAdapter webhook;
    private final Map<Channel, ChannelAdapter> channels;
    private final SendThrottle throttle;
    private final UnsubscribeLinks unsubscribeLinks;
    private final io.herald.saga.engagement.EmailTracking emailTracking;
    private final FailureLog failures;
    private final MessagingPolicyGate gate;
    private final Map<String, CampaignMessages> messages = new ConcurrentHashMap<>();
    private final FlowRuntimeProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    /** Sends in flight at once per channel for one batch of sends ({@code herald.delivery.throttle.concurrency}). */
    private final ChannelConcurrency concurrency;
    /** The parallel parts of a batch's sends, a virtual thread each. */
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();

    FlowRunner(FlowRunStore store, FlowDefinitions definitions, QueryGateway queries, CommandGateway commands,
               List<ChannelAdapter> adapters, SendThrottle throttle, UnsubscribeLinks unsubscribeLinks,
               io.herald.saga.engagement.EmailTracking emailTracking,
               FailureLog failures, MessagingPolicyGate gate, ChannelConcurrency concurrency,
               FlowRuntimeProperties properties, TransactionTemplate transactions, Clock clock) {
        this.concurrency = concurrency;
        this.store = store;
        this.definitions = definitions;
        this.queries = queries;
        this.commands = commands;
        this.channels = new EnumMap<>(Channel.class);
        adapters.forEach(adapter -> channels.put(adapter.channel(), adapter));
        this.webhook = channels.get(Channel.WEBHOOK);
        if (webhook == null) {
            throw new IllegalStateException("no webhook channel");
        }
        this.throttle = throttle;
        this.unsubscribeLinks = unsubscribeLinks;
        this.emailTracking = emailTracking;
        this.failures = failures;
        this.gate = gate;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * What a node came to: where the run goes, in what state, and the decision-log row; {@code also} is written in
     * the same transaction when the run moves (a failure-log entry).
     */
    private record Next(String node, FlowRunState state, String reason, Instant dueAt, int attempts, String kind,
                        String detail, String edge, Runnable also) {

        /** The run stays at its node (waits, retries) or ends there: no edge. */
        Next(String node, FlowRunState state, String reason, Instant dueAt, int attempts, String kind, String detail) {
            this(node, state, reason, dueAt, attempts, kind, detail, null, null);
        }

        /** On to {@code node} by the edge {@code next}. */
        static Next go(String node, String kind, String detail, Instant now) {
            return go("next", node, kind, detail, now);
        }

        /** On to {@code node} by the node's field {@code edge}. */
        static Next go(String edge, String node, String kind, String detail, Instant now) {
            return new Next(node, FlowRunState.ACTIVE, null, now, 0, kind, detail, edge, null);
        }

        Next with(Runnable write) {
            return new Next(node, state, reason, dueAt, attempts, kind, detail, edge, write);
        }
    }

    /** A run {@link #runBatch} leaves to {@link #run} (on its own thread): where it is, its contact if known. */
    record Handoff(FlowRunStore.Run run, ContactView contact, boolean fresh) {
    }

    /** A run of a batch being moved through its database-only nodes: where it is and what is not yet written. */
    private static final class Moving {
        final FlowRunStore.Run claimed;
        /** Its contact, once read with the batch's (only when a node needs it: a wait's time zone, a handoff). */
        ContactView contact;
        final FlowDefinition definition;
        final Map<String, FlowNode> nodes;
        final List<FlowRunStore.Step> steps = new ArrayList<>();
        FlowRunStore.Run run;
        Next last;
        Instant lastAt;
        int count;
        boolean stopped;
        boolean failed;
        /** A branch node's answer for this run (null: not asked yet); {@link #found}: whether the contact exists. */
        Boolean matches;
        boolean found;

        Moving(FlowRunStore.Run claimed, FlowDefinition definition, Map<String, FlowNode> nodes) {
            this.claimed = claimed;
            this.run = claimed;
            this.definition = definition;
            this.nodes = nodes;
        }

        FlowNode node() {
            return nodes.get(run.nodeId());
        }
    }

    /**
     * Moves a claimed batch on together as far as it can: through the nodes that only touch the database
     * ({@link #movePass}), then the runs at send nodes all at once ({@link #sendBatch}: one statement writes them
     * down as {@code sending}, their messages go out in parallel, one statement records their outcomes), then those
     * that went on at once through the nodes after, and so on. Returns the runs to go on one by one ({@link #run}):
     * those at a node that does something else outside the database (a contact update, a webhook node) or waits for
     * an event, those of a flow not running, and those the batch could not write (see {@link #movePass}).
     */
    List<Handoff> runBatch(List<FlowRunStore.Run> claimed, String workerId, Function<java.util.UUID, FlowStatus> status,
                           java.util.function.Supplier<Map<java.util.UUID, ContactView>> contacts) {
        List<Handoff> handoffs = new ArrayList<>();
        List<FlowRunStore.Run> current = claimed;
        for (int round = 0; !current.isEmpty(); round++) {
            List<Handoff> passed = movePass(current, workerId, status, contacts);
            List<FlowRunStore.Run> atSend = new ArrayList<>();
            for (Handoff handoff : passed) {
                if (round < MAX_ROUNDS && sendNode(handoff.run(), status) != null) {
                    atSend.add(handoff.run());
                } else {
                    handoffs.add(handoff);
                }
            }
            current = atSend.isEmpty() ? List.of() : sendBatch(atSend, workerId, status, handoffs);
        }
        return handoffs;
    }

    /** The send node a run is at, if its flow is running; else null. */
    private FlowNode.Send sendNode(FlowRunStore.Run run, Function<java.util.UUID, FlowStatus> status) {
        FlowStatus flowStatus = status.apply(run.flowId());
        if (flowStatus != FlowStatus.ACTIVE && flowStatus != FlowStatus.ARCHIVED) {
            return null;
        }
        FlowVersionView version = definitions.version(run.flowId(), run.version());
        if (version == null) {
            return null;
        }
        for (FlowNode node : version.definition().nodes()) {
            if (node.id().equals(run.nodeId())) {
                return node instanceof FlowNode.Send send ? send : null;
            }
        }
        return null;
    }

    /**
     * Runs at send nodes, sent together: their contacts read again in one query (as {@link #run} reads a contact
     * again before a send); each run's message decided or rendered as one by one ({@link #prepare}); then, group
     * after group (as many as the channel's throttle lets go at once, the whole batch without a limit): the group's
     * messages counted against the frequency caps and written down as {@code sending} in one transaction, sent in
     * parallel (at most the channel's concurrency at once), and their outcomes recorded with the runs' moves in one
     * transaction ({@link FlowRunStore#moveBatch}: the steps, the failure-log rows, the sends counted). Messages
     * decided without sending are recorded with the first group. Returns the runs that went on at once (their next
     * node is due), for the next round; runs to go on one by one are added to {@code handoffs}. A run written down
     * as {@code sending} whose outcome could not be recorded (the worker stopping, a statement refused) is left so:
     * claimed again when its lease runs out, it is settled as a dead worker's (webhook sent again with its key,
     * e-mail and SMS unknown, never sent twice).
     */
    private List<FlowRunStore.Run> sendBatch(List<FlowRunStore.Run> atSend, String workerId,
                                             Function<java.util.UUID, FlowStatus> status, List<Handoff> handoffs) {
        Map<java.util.UUID, ContactView> contacts = readContacts(atSend);
        List<Prepared> decided = new ArrayList<>();
        List<Prepared> toSend = new ArrayList<>();
        for (FlowRunStore.Run run : atSend) {
            ContactView contact = contacts == null ? null : contacts.get(run.contactId());
            if (contact == null) {
                // not read, or gone: one by one (which reads it, and exits the run if it is gone)
                handoffs.add(new Handoff(run, null, false));
                continue;
            }
            Prepared prepared;
            try {
                prepared = prepare(run, sendNode(run, status), contact, workerId, clock.instant());
            } catch (RuntimeException e) {
                handoffs.add(new Handoff(run, null, false)); // one by one, which writes the failure down
                continue;
            }
            (prepared.decided() != null ? decided : toSend).add(prepared);
        }
        List<FlowRunStore.Run> goOn = new ArrayList<>();
        // lanes: one per channel and flow, as the throttle counts them
        Map<String, List<Prepared>> lanes = new LinkedHashMap<>();
        for (Prepared prepared : toSend) {
            lanes.computeIfAbsent(prepared.send().channel() + "/" + prepared.run().flowId(), k -> new ArrayList<>())
                    .add(prepared);
        }
        List<Prepared> unrecorded = decided;
        while (!lanes.isEmpty() || !unrecorded.isEmpty()) {
            List<Prepared> group = new ArrayList<>();
            try {
                for (var lanesLeft = lanes.entrySet().iterator(); lanesLeft.hasNext(); ) {
                    List<Prepared> lane = lanesLeft.next().getValue();
                    Prepared first = lane.get(0);
                    FlowStatus flowStatus = status.apply(first.run().flowId());
                    if (flowStatus != FlowStatus.ACTIVE && flowStatus != FlowStatus.ARCHIVED) {
                        // paused or stopped meanwhile: one by one, which holds or releases them
                        lane.forEach(p -> handoffs.add(new Handoff(p.run(), null, false)));
                        lanesLeft.remove();
                        continue;
                    }
                    int permits = throttle.acquire(first.send().channel(),
                                                   UnsubscribeLinks.FLOW_PREFIX + first.run().flowId(), null,
                                                   lane.size());
                    List<Prepared> taken = lane.subList(0, Math.max(1, Math.min(permits, lane.size())));
                    group.addAll(taken);
                    taken.clear();
                    if (lane.isEmpty()) {
                        lanesLeft.remove();
                    }
                }
            } catch (InterruptedException e) {
                // stopping: what is not yet written down stays claimed (its lease runs out)
                Thread.currentThread().interrupt();
                return List.of();
            }
            List<Moved> moves = new ArrayList<>();
            for (Prepared prepared : unrecorded) {
                moves.add(new Moved(prepared, prepared.decided()));
            }
            unrecorded = List.of();
            if (!group.isEmpty()) {
                Instant now = clock.instant();
                List<Prepared> marked;
                try {
                    marked = markSending(group, workerId, now, moves);
                } catch (RuntimeException e) {
                    // nothing of the group written down (the transaction rolled back): one by one instead
                    log.warn("Flow worker: {} sends could not be written down together ({}); one by one instead",
                             group.size(), e.toString());
                    group.forEach(p -> handoffs.add(new Handoff(p.run(), null, false)));
                    marked = List.of();
                }
                List<SendResult> results;
                try {
                    results = sendAll(marked);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of(); // stopping: the group stays 'sending', settled like a dead worker's
                }
                Instant after = clock.instant();
                for (int i = 0; i < marked.size(); i++) {
                    moves.add(new Moved(marked.get(i), outcome(marked.get(i), results.get(i), after, now, workerId)));
                }
            }
            record(moves, workerId, goOn);
            if (Thread.currentThread().isInterrupted()) {
                return List.of();
            }
        }
        return goOn;
    }

    /** A run of {@link #sendBatch} and what its send node came to. */
    private record Moved(Prepared prepared, Next next) {
    }

    /**
     * One transaction: the group's messages counted against their channel's frequency cap (those over it skipped,
     * added to {@code moves}) and the others written down as {@code sending}; returns those written down (a run no
     * longer the worker's is left out).
     */
    private List<Prepared> markSending(List<Prepared> group, String workerId, Instant now, List<Moved> moves) {
        List<Moved> cappedMoves = new ArrayList<>();
        List<Prepared> marked = transactions.execute(s -> {
            cappedMoves.clear();
            java.util.Set<java.util.UUID> capped = new java.util.HashSet<>();
            Map<Channel, List<Prepared>> policed = new EnumMap<>(Channel.class);
            for (Prepared prepared : group) {
                if (prepared.policed()) {
                    policed.computeIfAbsent(prepared.send().channel(), k -> new ArrayList<>()).add(prepared);
                }
            }
            policed.forEach((channel, list) -> {
                // a contact twice in the group (two runs) is counted twice: one takeAll per occurrence
                List<Prepared> left = list;
                while (!left.isEmpty()) {
                    Map<java.util.UUID, String> zones = new LinkedHashMap<>();
                    List<Prepared> again = new ArrayList<>();
                    Map<java.util.UUID, Prepared> byContact = new HashMap<>();
                    for (Prepared prepared : left) {
                        if (zones.containsKey(prepared.run().contactId())) {
                            again.add(prepared);
                        } else {
                            String zone = prepared.contact().timeZone();
                            zones.put(prepared.run().contactId(), zone == null ? "" : zone);
                            byContact.put(prepared.run().contactId(), prepared);
                        }
                    }
                    for (java.util.UUID contact : gate.takeAll(zones, channel, now)) {
                        capped.add(byContact.get(contact).run().runId());
                    }
                    left = again;
                }
            });
            List<Prepared> sending = new ArrayList<>();
            List<FlowRunStore.Sending> rows = new ArrayList<>();
            for (Prepared prepared : group) {
                if (capped.contains(prepared.run().runId())) {
                    cappedMoves.add(new Moved(prepared, capped(prepared.send(), prepared.what(), now)));
                } else {
                    sending.add(prepared);
                    rows.add(new FlowRunStore.Sending(prepared.run().runId(), prepared.send().id(),
                                                      prepared.sendingDetail()));
                }
            }
            java.util.Set<java.util.UUID> held = store.markSendingBatch(workerId, rows, now, properties.lease());
            return sending.stream().filter(p -> held.contains(p.run().runId())).toList();
        });
        moves.addAll(cappedMoves);
        return marked == null ? List.of() : marked;
    }

    /**
     * Sends the messages in parallel, at most the channel's concurrency at once (parts of a few messages each on a
     * virtual thread; e-mail's parts go over one SMTP connection); results in the messages' order. A part whose
     * adapter throws leaves its messages' outcome unknown.
     */
    private List<SendResult> sendAll(List<Prepared> marked) throws InterruptedException {
        SendResult[] results = new SendResult[marked.size()];
        Map<Channel, List<Integer>> byChannel = new EnumMap<>(Channel.class);
        for (int i = 0; i < marked.size(); i++) {
            byChannel.computeIfAbsent(marked.get(i).send().channel(), k -> new ArrayList<>()).add(i);
        }
        List<Future<?>> parts = new ArrayList<>();
        for (Map.Entry<Channel, List<Integer>> entry : byChannel.entrySet()) {
            ChannelAdapter adapter = channels.get(entry.getKey());
            List<Integer> indexes = entry.getValue();
            int parallel = Math.max(1, Math.min(concurrency.concurrency(entry.getKey()), indexes.size()));
            int per = (indexes.size() + parallel - 1) / parallel;
            for (int from = 0; from < indexes.size(); from += per) {
                List<Integer> part = indexes.subList(from, Math.min(indexes.size(), from + per));
                parts.add(sends.submit(() -> {
                    List<OutboundMessage> messages = part.stream().map(i -> marked.get(i).message()).toList();
                    List<SendResult> sent;
                    try {
                        if (adapter == null) {
                            throw new IllegalStateException("the " + entry.getKey() + " channel is not configured");
                        }
                        sent = adapter.sendAll(messages);
                    } catch (RuntimeException e) {
                        // it may have gone out: unknown (e-mail/SMS are not repeated, a webhook is, with its key)
                        sent = messages.stream().map(m -> SendResult.unknown(e.toString())).toList();
                    }
                    for (int i = 0; i < part.size(); i++) {
                        results[part.get(i)] = sent.get(i);
                    }
                }));
            }
        }
        try {
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            parts.forEach(part -> part.cancel(true));
            throw e;
        }
        return java.util.Arrays.asList(results);
    }

    /**
     * Records a group's outcomes in one transaction: the runs moved on ({@link FlowRunStore#moveBatch}, fenced by the
     * claim, the sends counted), then the failure-log rows (and counts given back) of the runs moved. The runs that
     * go on at once are added to {@code goOn}.
     */
    private void record(List<Moved> moves, String workerId, List<FlowRunStore.Run> goOn) {
        if (moves.isEmpty()) {
            return;
        }
        List<FlowRunStore.BatchMove> batch = new ArrayList<>(moves.size());
        for (Moved moved : moves) {
            Next next = moved.next();
            Instant at = clock.instant();
            FlowRunStore.Run run = moved.prepared().run();
            List<FlowRunStore.Step> steps = next.kind() == null ? List.of()
                    : List.of(new FlowRunStore.Step(at, run.nodeId(), next.kind(), next.detail(), next.edge()));
            batch.add(new FlowRunStore.BatchMove(run.runId(), steps, next.node(), next.state(), next.reason(),
                                                 next.dueAt(), next.attempts(), next.detail(), at));
        }
        java.util.Set<java.util.UUID> written;
        try {
            written = transactions.execute(s -> {
                java.util.Set<java.util.UUID> moved = store.moveBatch(workerId, batch, properties.lease());
                for (Moved m : moves) {
                    if (m.next().also() != null && moved.contains(m.prepared().run().runId())) {
                        m.next().also().run();
                    }
                }
                return moved;
            });
        } catch (RuntimeException e) {
            // left as they were ('sending' for those sent): settled when claimed again, once their lease runs out
            log.warn("Flow worker: the outcomes of {} sends could not be recorded: {}", moves.size(), e.toString());
            return;
        }
        for (int i = 0; i < moves.size(); i++) {
            FlowRunStore.Run run = moves.get(i).prepared().run();
            FlowRunStore.BatchMove move = batch.get(i);
            if (written != null && written.contains(run.runId()) && move.state() == FlowRunState.ACTIVE
                    && move.dueAt() != null && !move.dueAt().isAfter(move.at())) {
                goOn.add(new FlowRunStore.Run(run.runId(), run.flowId(), run.version(), run.contactId(), move.node(),
                                              move.state(), move.reason(), move.dueAt(), run.data(), move.attempts()));
            }
        }
    }

    /** The contacts of runs, read in one query; null when they could not be read. */
    private Map<java.util.UUID, ContactView> readContacts(List<FlowRunStore.Run> runs) {
        List<String> ids = runs.stream().map(run -> run.contactId().toString()).distinct().toList();
        try {
            io.herald.api.contact.ContactBatchView found = FlowDefinitions.join(queries.query(
                    new io.herald.api.contact.FindContactsByKeysQuery(ids, List.of(), List.of()),
                    ResponseTypes.instanceOf(io.herald.api.contact.ContactBatchView.class)));
            Map<java.util.UUID, ContactView> byId = new HashMap<>();
            found.contacts().forEach(contact -> byId.put(java.util.UUID.fromString(contact.id()), contact));
            return byId;
        } catch (RuntimeException e) {
            log.warn("Flow worker: the contacts of a batch of sends: {}", e.toString());
            return null;
        }
    }

    /**
     * Moves a claimed batch through the nodes that do nothing outside the database (entry, branch, split, wait,
     * exit) all together: each run as {@link #run} would, node after node with its own decision-log rows, but the
     * batch's branch nodes are asked in one query per node ({@link ContactsMatchRuleQuery}) and every run's moves are
     * written by one update, one insert and one commit for the whole batch ({@link FlowRunStore#moveBatch}, fenced
     * by the claim per run). A worker killed meanwhile commits none of them: every run is claimed again at its last
     * committed node. Returns the runs to go on from where they are (at a send node together, {@link #sendBatch};
     * else one by one, {@link #run}): those whose next node does something outside the database (a contact update, a
     * webhook, a send) or waits for an event, those of a flow not running, and all of the batch's runs as claimed
     * when the batch could not be written (a statement refused: one by one each is moved on, or fails, as without
     * the batch). {@code contacts}: the batch's contacts, read (in one query) only if a run needs its contact (not
     * for a run at a send node: {@link #sendBatch} reads its contacts again).
     */
    private List<Handoff> movePass(List<FlowRunStore.Run> claimed, String workerId,
                                   Function<java.util.UUID, FlowStatus> status,
                                   java.util.function.Supplier<Map<java.util.UUID, ContactView>> contacts) {
        List<Handoff> handoffs = new ArrayList<>();
        List<Moving> moving = new ArrayList<>();
        Map<String, Map<String, FlowNode>> nodesOf = new HashMap<>();
        for (FlowRunStore.Run run : claimed) {
            FlowStatus flowStatus = status.apply(run.flowId());
            FlowVersionView version = definitions.version(run.flowId(), run.version());
            if (version == null || (flowStatus != FlowStatus.ACTIVE && flowStatus != FlowStatus.ARCHIVED)) {
                handoffs.add(new Handoff(run, null, false));
                continue;
            }
            Map<String, FlowNode> nodes = nodesOf.computeIfAbsent(run.flowId() + "/" + run.version(), k -> {
                Map<String, FlowNode> byId = new HashMap<>();
                version.definition().nodes().forEach(n -> byId.put(n.id(), n));
                return byId;
            });
            moving.add(new Moving(run, version.definition(), nodes));
        }
        List<Moving> under = new ArrayList<>(moving);
        while (!under.isEmpty()) {
            under.forEach(m -> advance(m, workerId, contacts));
            under.removeIf(m -> m.stopped || m.failed);
            if (!under.isEmpty()) {
                askBranches(under);
            }
        }
        List<FlowRunStore.BatchMove> moves = new ArrayList<>();
        for (Moving m : moving) {
            if (m.failed || m.last == null) {
                // nothing done in the batch (its first node is not one of these, or failed): one by one from the claim
                handoffs.add(m.failed ? new Handoff(m.claimed, null, false)
                                     : sendNode(m.claimed, status) != null ? new Handoff(m.claimed, null, false)
                                     : new Handoff(m.claimed, contacts.get().get(m.claimed.contactId()), true));
            } else {
                moves.add(new FlowRunStore.BatchMove(m.claimed.runId(), List.copyOf(m.steps), m.last.node(),
                                                     m.last.state(), m.last.reason(), m.last.dueAt(),
                                                     m.last.attempts(), m.last.detail(), m.lastAt));
            }
        }
        if (moves.isEmpty()) {
            return handoffs;
        }
        java.util.Set<java.util.UUID> moved;
        try {
            moved = transactions.execute(s -> store.moveBatch(workerId, moves, properties.lease()));
        } catch (org.springframework.transaction.TransactionSystemException e) {
            // the commit failed: whether it took is not known, so nothing is repeated here; the runs are claimed
            // again, where the database has them, once their lease runs out
            log.warn("Flow worker: a batch of {} runs: {}", moves.size(), e.toString());
            return handoffs;
        } catch (RuntimeException e) {
            log.warn("Flow worker: a batch of {} runs could not be moved together ({}); one by one instead",
                     moves.size(), e.toString());
            for (Moving m : moving) {
                if (!m.failed && m.last != null) {
                    handoffs.add(new Handoff(m.claimed, null, false));
                }
            }
            return handoffs;
        }
        for (Moving m : moving) {
            if (m.failed || m.last == null || moved == null || !moved.contains(m.claimed.runId())) {
                continue; // handed off above, or no longer this worker's (stopped, or its lease ran out)
            }
            Next last = m.last;
            if (m.count >= MAX_STEPS) {
                log.warn("Flow run {} moved through {} nodes in one claim; it goes on at the next", m.run.runId(),
                         MAX_STEPS);
            } else if (last.state() == FlowRunState.ACTIVE && last.dueAt() != null
                    && !last.dueAt().isAfter(m.lastAt)) {
                // on at a node that does something outside the database, or waits for an event
                // (one at a send node goes on with the batch's other sends, which read their contacts again)
                handoffs.add(new Handoff(m.run, m.contact != null || sendNode(m.run, status) != null ? m.contact
                        : contacts.get().get(m.run.contactId()), false));
            }
        }
        return handoffs;
    }

    /**
     * Moves {@code m} through database-only nodes in memory until it waits, ends, reaches another kind of node or a
     * branch not yet asked about; a node that throws leaves the run to {@link #run} from its claim.
     */
    private void advance(Moving m, String workerId,
                         java.util.function.Supplier<Map<java.util.UUID, ContactView>> contacts) {
        while (true) {
            if (m.count >= MAX_STEPS) {
                m.stopped = true;
                return;
            }
            FlowNode node = m.node();
            if (node == null || !(node instanceof FlowNode.Entry || node instanceof FlowNode.Branch
                    || node instanceof FlowNode.Split || node instanceof FlowNode.Wait
                    || node instanceof FlowNode.Exit)) {
                m.stopped = true;
                return;
            }
            Instant now = clock.instant();
            Next next;
            if (node instanceof FlowNode.Branch branch) {
                if (m.matches == null) {
                    return; // asked with the batch's other runs at this node
                }
                boolean matches = m.matches;
                m.matches = null;
                next = !m.found ? new Next(node.id(), FlowRunState.EXITED, null, null, 0, "exited",
                                           "the contact no longer exists")
                        : Next.go(matches ? "trueNext" : "falseNext", matches ? branch.trueNext() : branch.falseNext(),
                                  "branch", "'" + branch.id() + "' = " + matches, now);
            } else {
                if (m.contact == null && node instanceof FlowNode.Wait
                        && !(m.run.state() == FlowRunState.WAITING && REASON_WAIT.equals(m.run.reason()))) {
                    // a wait begins: its time may depend on the contact's time zone and attributes
                    m.contact = contacts.get().get(m.run.contactId());
                    if (m.contact == null) {
                        m.failed = true; // gone, or not read: one by one, which reads it and exits the run if gone
                        return;
                    }
                }
                try {
                    next = execute(m.run, node, m.contact, m.definition, workerId, now);
                } catch (RuntimeException e) {
                    m.failed = true;
                    return;
                }
            }
            Instant at = clock.instant();
            if (next.kind() != null) {
                m.steps.add(new FlowRunStore.Step(at, m.run.nodeId(), next.kind(), next.detail(), next.edge()));
            }
            m.last = next;
            m.lastAt = at;
            m.count++;
            if (next.state() != FlowRunState.ACTIVE || next.dueAt() == null || next.dueAt().isAfter(at)) {
                m.stopped = true;
                return;
            }
            m.run = new FlowRunStore.Run(m.run.runId(), m.run.flowId(), m.run.version(), m.run.contactId(),
                                         next.node(), next.state(), next.reason(), next.dueAt(), m.run.data(),
                                         next.attempts());
        }
    }

    /** Asks, in one query per branch node (flow, version, node), whether the runs waiting there match its rule. */
    private void askBranches(List<Moving> under) {
        Map<String, List<Moving>> atBranch = new LinkedHashMap<>();
        for (Moving m : under) {
            atBranch.computeIfAbsent(m.run.flowId() + "/" + m.run.version() + "/" + m.run.nodeId(),
                                     k -> new ArrayList<>()).add(m);
        }
        for (List<Moving> group : atBranch.values()) {
            FlowNode.Branch branch = (FlowNode.Branch) group.get(0).node();
            List<String> ids = group.stream().map(m -> m.run.contactId().toString()).distinct().toList();
            RuleMatchesView answer;
            try {
                answer = FlowDefinitions.join(queries.query(new ContactsMatchRuleQuery(ids, branch.rule()),
                                                            ResponseTypes.instanceOf(RuleMatchesView.class)));
            } catch (RuntimeException e) {
                // left to the runs one by one, which write the failure down and try again later
                group.forEach(m -> m.failed = true);
                continue;
            }
            java.util.Set<String> found = new java.util.HashSet<>(answer.found());
            java.util.Set<String> matching = new java.util.HashSet<>(answer.matching());
            for (Moving m : group) {
                String id = m.run.contactId().toString();
                m.found = found.contains(id);
                m.matches = m.found && matching.contains(id);
            }
        }
    }

    /**
     * Runs the claimed run until it waits or ends, or its flow is no longer running ({@code status}: the flow's
     * status as the worker last read it); {@code known}: its contact as read with the claimed batch (null: read
     * here). Nodes that do nothing outside the database ({@link #together}) are moved through in one transaction
     * (one commit) up to the next node that does (a contact update, a webhook, a send), a wait or the end; each
     * keeps its own decision-log row. A worker killed meanwhile commits none of them: the run is claimed again at
     * the last committed node. A node that fails in such a transaction rolls it back, and the run goes on from
     * there one node per transaction, as it would without the grouping.
     */
    void run(FlowRunStore.Run claimed, String workerId, Function<java.util.UUID, FlowStatus> status,
             ContactView known) {
        run(claimed, workerId, status, known, known != null);
    }

    /**
     * {@link #run(FlowRunStore.Run, String, Function, ContactView)}; {@code fresh}: {@code known} was read with the
     * claim and the run has not moved since (else it is read again before a webhook or send node).
     */
    void run(FlowRunStore.Run claimed, String workerId, Function<java.util.UUID, FlowStatus> status,
             ContactView known, boolean fresh) {
        FlowVersionView version = definitions.version(claimed.flowId(), claimed.version());
        if (version == null) {
            log.warn("Flow run {}: version {} of flow {} not found; left for later", claimed.runId(),
                     claimed.version(), claimed.flowId());
            return;
        }
        FlowDefinition definition = version.definition();
        Map<String, FlowNode> nodes = new HashMap<>();
        definition.nodes().forEach(n -> nodes.put(n.id(), n));
        FlowRunStore.Run run = claimed;
        ContactView contact = known;
        // fresh: read with the claim, no need to read it again for this claim's first node
        boolean grouping = true;
        FlowRunStore.Run committed = claimed;
        ContactView committedContact = known;
        Group group = new Group(claimed.runId(), workerId);
        try {
            for (int i = 0; i < MAX_STEPS; i++) {
                FlowStatus flowStatus = status.apply(run.flowId());
                if (flowStatus != FlowStatus.ACTIVE && flowStatus != FlowStatus.ARCHIVED) {
                    // paused (or stopped) meanwhile: the run holds where it is (the nodes before committed)
                    if (group.commit()) {
                        store.release(run.runId(), workerId);
                    }
                    return;
                }
                Instant now = clock.instant();
                FlowNode node = nodes.get(run.nodeId());
                boolean together = grouping && together(node);
                if (!together && group.open()) {
                    if (!group.commit()) {
                        return;
                    }
                    committed = run;
                    committedContact = contact;
                }
                if (together && !group.open()) {
                    group.begin();
                }
                if (contact == null || (!fresh && (node instanceof FlowNode.Webhook || node instanceof FlowNode.Send))) {
                    contact = contact(run);
                }
                fresh = false;
                Next next;
                try {
                    next = node == null ? new Next(run.nodeId(), FlowRunState.EXITED, null, null, 0, "exited",
                                                   "node " + run.nodeId() + " is not in version " + run.version())
                            : contact == null ? new Next(run.nodeId(), FlowRunState.EXITED, null, null, 0, "exited",
                                                         "the contact no longer exists")
                            : execute(run, node, contact, definition, workerId, now);
                } catch (LostRun lost) {
                    group.commit();
                    return;
                } catch (RuntimeException e) {
                    if (group.open()) {
                        // the transaction may be spoilt (a statement refused): back to the last commit, and on
                        // from there one node per transaction
                        group.rollback();
                        run = committed;
                        contact = committedContact;
                        grouping = false;
                        i--;
                        continue;
                    }
                    // a failure of this node for this run (a command refused, a query failed): written down, run
                    // tried again after a pause instead of being lost or repeated in a tight loop
                    log.warn("Flow run {} at node {}: {}", run.runId(), run.nodeId(), e.toString());
                    next = new Next(run.nodeId(), FlowRunState.ACTIVE, null, now.plus(properties.webhookRetry()),
                                    run.attempts(), "error", e.getClass().getSimpleName() + ": " + e.getMessage()
                                            + "; tried again at " + now.plus(properties.webhookRetry()));
                }
                FlowRunStore.Run current = run;
                Next step = next;
                if (group.open() && !(node instanceof FlowNode.WaitForEvent) && step.also() == null) {
                    // written with the group's other steps when it commits (one update of the run, one insert)
                    group.add(current, step, clock.instant());
                } else {
                    if (!group.flush()) {
                        group.rollback();
                        return;
                    }
                    // joins the open transaction, if any
                    next = transactions.execute(s -> moveOn(current, node, step, workerId));
                }
                if (next == null) {
                    group.commit();
                    return; // stopped meanwhile, or no longer this worker's
                }
                if (next.state() != FlowRunState.ACTIVE || next.dueAt() == null
                        || next.dueAt().isAfter(clock.instant())) {
                    group.commit();
                    return;
                }
                if (node instanceof FlowNode.UpdateContact) {
                    contact = null; // read again: it just changed
                }
                run = new FlowRunStore.Run(run.runId(), run.flowId(), run.version(), run.contactId(), next.node(),
                                           next.state(), next.reason(), next.dueAt(), run.data(), next.attempts());
                if (!group.open()) {
                    committed = run;
                    committedContact = contact;
                }
            }
            group.commit();
            log.warn("Flow run {} moved through {} nodes in one claim; it goes on at the next", run.runId(),
                     MAX_STEPS);
        } finally {
            if (group.open()) {
                group.rollback();
            }
        }
    }

    /** Nodes that read and write only the database (no command, no message out): moved through together. */
    private static boolean together(FlowNode node) {
        return !(node instanceof FlowNode.UpdateContact || node instanceof FlowNode.Webhook
                || node instanceof FlowNode.Send);
    }

    /**
     * The transaction a run's nodes are moved through together in, and the moves not yet written: written as one
     * update of the run (where the last of them left it) and one insert of their decision-log rows, before the
     * transaction commits or anything else writes the run. Its moves are fenced as one ({@link FlowRunStore#moveThrough}):
     * if the run is no longer the worker's, none of them is written, as none would have been one by one (the first
     * update would have found it gone, and each later one too, the row being locked by the first).
     */
    private final class Group {

        private final java.util.UUID runId;
        private final String workerId;
        private final List<FlowRunStore.Step> steps = new ArrayList<>();
        private TransactionStatus transaction;
        private Next last;
        private Instant lastAt;

        Group(java.util.UUID runId, String workerId) {
            this.runId = runId;
            this.workerId = workerId;
        }

        boolean open() {
            return transaction != null;
        }

        void begin() {
            transaction = transactions.getTransactionManager().getTransaction(transactions);
        }

        void add(FlowRunStore.Run run, Next next, Instant at) {
            if (next.kind() != null) {
                steps.add(new FlowRunStore.Step(at, run.nodeId(), next.kind(), next.detail(), next.edge()));
            }
            last = next;
            lastAt = at;
        }

        /** Writes the moves not yet written; false when the run is no longer the worker's (nothing written). */
        boolean flush() {
            if (last == null) {
                return true;
            }
            boolean moved = store.moveThrough(runId, workerId, steps, last.node(), last.state(), last.reason(),
                                              last.dueAt(), last.attempts(), last.detail(), lastAt,
                                              properties.lease());
            steps.clear();
            last = null;
            return moved;
        }

        /** Writes and commits; false when the run is no longer the worker's (the transaction rolled back). */
        boolean commit() {
            if (transaction == null) {
                return true;
            }
            if (!flush()) {
                rollback();
                return false;
            }
            TransactionStatus committing = transaction;
            transaction = null;
            transactions.getTransactionManager().commit(committing);
            return true;
        }

        void rollback() {
            steps.clear();
            last = null;
            if (transaction != null) {
                TransactionStatus rolling = transaction;
                transaction = null;
                if (!rolling.isCompleted()) {
                    transactions.getTransactionManager().rollback(rolling);
                }
            }
        }
    }

    /**
     * Moves the run on as {@code next} says (in the caller's transaction); null when it is no longer the worker's.
     * A run about to wait for an event is locked first and goes on at once if the event came meanwhile
     * ({@link FlowRunStore#lockLiveRuns} takes the same lock when it records events); a run leaving a
     * wait_for_event node forgets the event it received there (a loop waits for a new one).
     */
    private Next moveOn(FlowRunStore.Run run, FlowNode node, Next next, String workerId) {
        if (node instanceof FlowNode.WaitForEvent wait && REASON_WAIT_FOR_EVENT.equals(next.reason())
                && run.state() == FlowRunState.ACTIVE) {
            if (!store.lockHeld(run.runId(), workerId)) {
                return null;
            }
            FlowRunStore.ReceivedEvent received = store.receivedEvent(run.runId(), wait.id());
            if (received != null) {
                next = Next.go(wait.next(), "event-received", "'" + received.event() + "' already received at "
                        + received.occurredAt() + " (messageId " + received.messageId() + ")", clock.instant());
            }
        }
        Instant now = clock.instant();
        if (!store.move(run.runId(), workerId, run.nodeId(), next.kind(), next.detail(), next.edge(), next.node(),
                        next.state(), next.reason(), next.dueAt(), next.attempts(), now, properties.lease())) {
            return null;
        }
        if (node instanceof FlowNode.WaitForEvent && !run.nodeId().equals(next.node())) {
            store.forgetEvent(run.runId(), run.nodeId());
        }
        if (next.also() != null) {
            next.also().run();
        }
        return next;
    }

    /** The run was taken from this worker (or stopped) while a node ran. */
    private static final class LostRun extends RuntimeException {
        LostRun() {
            super(null, null, false, false);
        }
    }

    private Next execute(FlowRunStore.Run run, FlowNode node, ContactView contact, FlowDefinition definition,
                         String workerId, Instant now) {
        return switch (node) {
            case FlowNode.Entry entry -> Next.go(entry.next(), null, null, now);
            case FlowNode.Wait wait -> wait(run, wait, contact, definition, now);
            case FlowNode.Branch branch -> {
                RuleMatchView match = FlowDefinitions.join(queries.query(
                        new ContactMatchesRuleQuery(run.contactId().toString(), branch.rule()),
                        ResponseTypes.instanceOf(RuleMatchView.class)));
                if (!match.found()) {
                    yield new Next(node.id(), FlowRunState.EXITED, null, null, 0, "exited",
                                   "the contact no longer exists");
                }
                yield Next.go(match.matches() ? "trueNext" : "falseNext",
                              match.matches() ? branch.trueNext() : branch.falseNext(), "branch",
                              "'" + branch.id() + "' = " + match.matches(), now);
            }
            case FlowNode.Split split -> {
                FlowNode.SplitPath path = SplitPaths.choose(split, run.contactId().toString());
                yield Next.go("paths[" + split.paths().indexOf(path) + "].next", path.next(), "split", "path '"
                        + path.name() + "' (bucket "
                        + SplitPaths.bucket(run.contactId().toString(), split.id()) + ")", now);
            }
            case FlowNode.UpdateContact update -> Next.go(update.next(), "contact-updated", updateContact(run, update),
                                                          now);
            case FlowNode.Webhook hook -> webhook(run, hook, contact, workerId, now);
            case FlowNode.Send send -> send(run, send, contact, workerId, now);
            case FlowNode.WaitForEvent wait -> waitForEvent(run, wait, now);
            case FlowNode.Exit ignored -> new Next(node.id(), FlowRunState.COMPLETED, null, null, 0, "exited",
                                                   "completed");
        };
    }

    private Next wait(FlowRunStore.Run run, FlowNode.Wait wait, ContactView contact, FlowDefinition definition,
                      Instant now) {
        if (run.state() == FlowRunState.WAITING && REASON_WAIT.equals(run.reason())) {
            // claimed because its due time passed
            return Next.go(wait.next(), "waited", "due " + run.dueAt(), now);
        }
        WaitTimes.Until until = WaitTimes.of(wait, now, contact.timeZone(), definition.timeZone(),
                                             contact.attributes());
        if (until.until() == null) {
            return Next.go(wait.next(), "waited", until.why(), now);
        }
        if (!until.until().isAfter(now)) {
            return Next.go(wait.next(), "waited", until.why() + ": " + until.until() + " has passed", now);
        }
        return new Next(wait.id(), FlowRunState.WAITING, REASON_WAIT, until.until(), 0, "waiting",
                        until.why() + ", due " + until.until());
    }

    private Next waitForEvent(FlowRunStore.Run run, FlowNode.WaitForEvent wait, Instant now) {
        if (run.state() == FlowRunState.WAITING && REASON_EVENT_RECEIVED.equals(run.reason())) {
            // woken by the event (its decision-log row is written): on to next
            return Next.go(wait.next(), null, null, now);
        }
        if (run.state() == FlowRunState.WAITING && REASON_WAIT_FOR_EVENT.equals(run.reason())) {
            return Next.go("timeoutNext", wait.timeoutNext(), "timed-out", "no '" + wait.event() + "' within " + wait.timeout(), now);
        }
        Instant until = now.plus(Duration.parse(wait.timeout()));
        return new Next(wait.id(), FlowRunState.WAITING, REASON_WAIT_FOR_EVENT, until, 0, "waiting-for-event",
                        "for '" + wait.event() + "'" + (wait.matchKey() == null ? ""
                                : " with " + wait.matchKey() + " = " + triggerValue(run, wait.matchKey()))
                                + " until " + until);
    }

    /** The trigger's value of {@code key} (the run's data), as text; null when it has none. */
    static String triggerValue(FlowRunStore.Run run, String key) {
        Object value = run.data() == null ? null : run.data().get(key);
        return value == null ? null : value.toString();
    }

    /**
     * A send node: the same checks (address, consent), rendering, unsubscribe links, throttle and failure log as a
     * campaign's send. The message is written down ({@code sending}) before it goes out: a run found so when
     * claimed again was left by a worker that died mid-send, and its e-mail or SMS is recorded unknown, never
     * sent twice; a webhook is sent again with the same Idempotency-Key ({@code <runId>:<nodeId>}).
     */
    private Next send(FlowRunStore.Run run, FlowNode.Send send, ContactView contact, String workerId, Instant now) {
        Prepared prepared = prepare(run, send, contact, workerId, now);
        if (prepared.decided() != null) {
            return prepared.decided();
        }
        Channel channel = send.channel();
        String what = prepared.what();
        int attempt = prepared.attempt();
        boolean policed = prepared.policed();
        // the cap is checked and the message counted in the transaction that writes it down
        String held = transactions.execute(s -> {
            if (policed && !gate.take(run.contactId(), channel, contact.timeZone(), now)) {
                return MessagingPolicyGate.FREQUENCY_CAP;
            }
            return store.markSending(run.runId(), workerId, send.id(), prepared.sendingDetail(), now,
                                     properties.lease()) ? REASON_SENDING : null;
        });
        if (MessagingPolicyGate.FREQUENCY_CAP.equals(held)) {
            return capped(send, what, now);
        }
        if (held == null) {
            throw new LostRun();
        }
        try {
            throttle.acquire(channel, UnsubscribeLinks.FLOW_PREFIX + run.flowId(), null, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LostRun(); // stopping: the run stays 'sending' and is settled like a dead worker's
        }
        SendResult result;
        try {
            result = channels.get(channel).send(prepared.message());
        } catch (RuntimeException e) {
            // it may have gone out: unknown (e-mail/SMS are not repeated, a webhook is, with its key)
            result = SendResult.unknown(e.toString());
        }
        return outcome(prepared, result, clock.instant(), now, workerId);
    }

    /**
     * A send node's message for one run before it goes out: either {@code decided} without sending (unknown after a
     * lost worker, skipped, held for quiet hours, a template that did not render), or rendered ({@code message}).
     */
    private record Prepared(FlowRunStore.Run run, FlowNode.Send send, ContactView contact, String what,
                            boolean policed, int attempt, String key, OutboundMessage message, Next decided) {

        /** The {@code sending} row's detail. */
        String sendingDetail() {
            return what + ", attempt " + attempt
                    + (send.channel() == Channel.WEBHOOK ? ", Idempotency-Key " + key : "");
        }
    }

    /**
     * The checks (address, consent), quiet hours and rendering of a send node for one run, as a campaign's send has
     * them; a run found {@code sending} when claimed was left by a worker that died mid-send, and its e-mail or SMS
     * is recorded unknown, never sent twice (a webhook is sent again, with the same Idempotency-Key).
     */
    private Prepared prepare(FlowRunStore.Run run, FlowNode.Send send, ContactView contact, String workerId,
                             Instant now) {
        Channel channel = send.channel();
        String what = describe(send);
        boolean policed = !Boolean.TRUE.equals(send.transactional());
        int attempt = run.attempts() + 1;
        String key = run.runId() + ":" + send.id();
        if (REASON_SENDING.equals(run.reason()) && channel != Channel.WEBHOOK) {
            String error = "the instance sending it stopped before its outcome was recorded; not sent again";
            return decided(run, send, contact, what, Next.go(send.next(), "send-unknown", what + ": " + error, now).with(
                    () -> failures.logFlowSend(run.flowId(), send.id(), run.runId(), run.contactId(), channel,
                                               "worker-lost", error, Math.max(run.attempts(), 1), "UNKNOWN", null,
                                               workerId)));
        }
        CampaignMessages content = messages.computeIfAbsent(run.flowId() + "/" + run.version() + "/" + send.id(),
                                                            k -> CampaignMessages.forFlowSend(channel, send.content()));
        String skip = content.skipReason(contact);
        if (skip != null) {
            return decided(run, send, contact, what, Next.go(send.next(), "send-skipped", what + ": skipped, " + skip,
                                                             now));
        }
        if (policed) {
            Instant quiet = gate.quietUntil(channel, contact.timeZone(), now);
            if (quiet != null) {
                return decided(run, send, contact, what, new Next(send.id(), FlowRunState.WAITING,
                                                                  MessagingPolicyGate.QUIET_HOURS, quiet,
                                                                  run.attempts(), "held",
                                                                  what + ": quiet hours, held until " + quiet));
            }
        }
        OutboundMessage message;
        try {
            String unsubscribe = channel == Channel.WEBHOOK ? null
                    : unsubscribeLinks.urlFor(contact.id(), channel, UnsubscribeLinks.FLOW_PREFIX + run.flowId());
            Map<String, String> metadata = Map.of("flowId", run.flowId().toString(), "runId", run.runId().toString(),
                                                  "nodeId", send.id(), "contactId", contact.id());
            message = content.render(contact, unsubscribe, key, metadata, flowVariables(run));
            if (channel == Channel.EMAIL) {
                message = emailTracking.forFlow(message, run.flowId().toString(), run.runId().toString(), send.id(),
                                                contact.id(), send.content());
            }
        } catch (TemplateException e) {
            String error = "a template did not render: " + e.getMessage();
            return decided(run, send, contact, what, Next.go(send.next(), "send-failed", what + ": " + error
                    + "; going on", now).with(
                    () -> failures.logFlowSend(run.flowId(), send.id(), run.runId(), run.contactId(), channel,
                                               "template", error, attempt, "FAILED", null, workerId)));
        }
        return new Prepared(run, send, contact, what, policed, attempt, key, message, null);
    }

    private static Prepared decided(FlowRunStore.Run run, FlowNode.Send send, ContactView contact, String what,
                                    Next next) {
        return new Prepared(run, send, contact, what, false, run.attempts() + 1, null, null, next);
    }

    /** Over the channel's frequency cap: skipped, on to the node's next. */
    private Next capped(FlowNode.Send send, String what, Instant now) {
        MessagingPolicy.FrequencyCap cap = gate.policy().capOf(send.channel());
        return Next.go(send.next(), "send-skipped", what + ": skipped, " + MessagingPolicyGate.FREQUENCY_CAP
                + (cap == null ? "" : " (at most " + cap.limit() + " per " + cap.days() + " days)"), now);
    }

    /**
     * What a sent message came to (its count, taken at {@code countedAt}, given back with the failure-log row when it
     * did not go out).
     */
    private Next outcome(Prepared prepared, SendResult outcome, Instant after, Instant countedAt, String workerId) {
        FlowRunStore.Run run = prepared.run();
        FlowNode.Send send = prepared.send();
        Channel channel = send.channel();
        String what = prepared.what();
        int attempt = prepared.attempt();
        ContactView contact = prepared.contact();
        Runnable giveBack = () -> {
            if (prepared.policed()) {
                gate.giveBack(run.contactId(), channel, contact.timeZone(), countedAt);
            }
        };
        if (outcome.hardBounce()) {
            recordBounce(prepared.key(), prepared.message(), outcome);
        }
        return switch (outcome.outcome()) {
            case SENT -> Next.go(send.next(), "sent", what + ", attempt " + attempt
                    + (outcome.providerMessageId() == null ? "" : ", provider id " + outcome.providerMessageId()), after);
            case PERMANENT_FAILURE -> Next.go(send.next(), "send-failed", what + ": " + outcome.error() + ", attempt "
                    + attempt + "; not retried, going on", after).with(() -> {
                        giveBack.run();
                        failures.logFlowSend(run.flowId(), send.id(), run.runId(), run.contactId(), channel,
                                             "rejected", outcome.error(), attempt, "FAILED", null, workerId);
                    });
            case UNKNOWN -> channel == Channel.WEBHOOK ? retry(run, send, what, outcome, attempt, after, workerId, giveBack)
                    : Next.go(send.next(), "send-unknown", what + ": " + outcome.error() + "; not sent again", after)
                    .with(() -> failures.logFlowSend(run.flowId(), send.id(), run.runId(), run.contactId(), channel,
                                                     "outcome-unknown", outcome.error(), attempt, "UNKNOWN", null,
                                                     workerId));
            case TRANSIENT_FAILURE -> retry(run, send, what, outcome, attempt, after, workerId, giveBack);
        };
    }

    /**
     * The SMTP server refused the recipient with a 5xx: a hard bounce of this delivery ({@code <runId>:<nodeId>}),
     * recorded once by the feedback handler (its consent then changes like a provider's bounce). A failure to record
     * it is logged; the run goes on either way.
     */
    private void recordBounce(String deliveryId, OutboundMessage message, SendResult result) {
        try {
            commands.send(new io.herald.api.feedback.RecordSmtpBounceCommand(deliveryId, message.to(),
                                                                            result.smtpCode(), result.error()))
                    .exceptionally(e -> {
                        log.warn("The bounce of flow delivery {} could not be recorded: {}", deliveryId, e.toString());
                        return null;
                    });
        } catch (RuntimeException e) {
            log.warn("The bounce of flow delivery {} could not be recorded: {}", deliveryId, e.toString());
        }
    }

    /** A transient failure: tried again later (the message's count given back: the retry counts it again). */
    private Next retry(FlowRunStore.Run run, FlowNode.Send send, String what, SendResult result, int attempt,
                       Instant after, String workerId, Runnable giveBack) {
        if (attempt >= properties.webhookMaxAttempts()) {
            return Next.go(send.next(), "send-failed", what + ": " + result.error() + ", attempt " + attempt + " of "
                    + properties.webhookMaxAttempts() + "; giving up, going on", after).with(() -> {
                        giveBack.run();
                        failures.logFlowSend(run.flowId(), send.id(), run.runId(), run.contactId(), send.channel(),
                                             "transient", result.error(), attempt, "FAILED", null, workerId);
                    });
        }
        Instant again = after.plus(properties.webhookRetry().multipliedBy(1L << Math.min(attempt - 1, 10)));
        return new Next(send.id(), FlowRunState.ACTIVE, null, again, attempt, "send-retry",
                        what + ": " + result.error() + ", attempt " + attempt + "; again at " + again).with(() -> {
                            giveBack.run();
                            failures.logFlowSend(run.flowId(), send.id(), run.runId(), run.contactId(),
                                                 send.channel(), "transient", result.error(), attempt,
                                                 "RETRY_SCHEDULED", again, workerId);
                        });
    }

    /** The send as the decision log names it: channel and subject (e-mail) or URL (webhook). */
    private static String describe(FlowNode.Send send) {
        return switch (send.channel()) {
            case EMAIL -> "e-mail '" + send.content().subject() + "'";
            case SMS -> "SMS";
            case WEBHOOK -> "webhook " + send.content().url();
        };
    }

    /** Template variables of a flow's messages besides the contact's: {@code trigger.*} and {@code flow.*}. */
    private static Map<String, Object> flowVariables(FlowRunStore.Run run) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("trigger", run.data() == null ? Map.of() : run.data());
        Map<String, Object> flow = new LinkedHashMap<>();
        flow.put("id", run.flowId().toString());
        flow.put("version", run.version());
        flow.put("run_id", run.runId().toString());
        variables.put("flow", flow);
        return variables;
    }

    private String updateContact(FlowRunStore.Run run, FlowNode.UpdateContact update) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (update.set() != null) {
            attributes.putAll(update.set());
        }
        if (update.remove() != null) {
            update.remove().forEach(key -> attributes.put(key, null));
        }
        String contactId = run.contactId().toString();
        List<String> done = new ArrayList<>();
        if (!attributes.isEmpty()) {
            commands.sendAndWait(new UpdateContactCommand(contactId, null, null, null, null, null, attributes));
            if (update.set() != null && !update.set().isEmpty()) {
                done.add("set " + update.set().keySet());
            }
            if (update.remove() != null && !update.remove().isEmpty()) {
                done.add("removed " + update.remove());
            }
        }
        if (update.consent() != null) {
            for (FlowNode.ConsentChange change : update.consent()) {
                commands.sendAndWait(new ChangeContactConsentCommand(contactId, change.channel(), change.status(),
                                                                     "flow " + run.flowId() + ", node " + update.id(),
                                                                     "flow"));
                done.add("consent " + change.channel() + " " + change.status());
            }
        }
        return done.isEmpty() ? "nothing to change" : String.join(", ", done);
    }

    private Next webhook(FlowRunStore.Run run, FlowNode.Webhook hook, ContactView contact, String workerId,
                         Instant now) {
        int attempt = run.attempts() + 1;
        String key = run.runId() + ":" + hook.id();
        String body;
        try {
            Map<String, Object> variables = ContactVariables.of(contact.id(), contact.externalId(), contact.email(),
                                                                contact.phone(), contact.locale(), contact.timeZone(),
                                                                contact.attributes(), null, null, null);
            variables.putAll(flowVariables(run));
            body = hook.body() == null || hook.body().isBlank() ? "{}"
                    : TEMPLATES.render(hook.body(), variables, LiquidTemplates.Mode.JSON);
        } catch (TemplateException e) {
            return Next.go(hook.next(), "webhook-failed", "the body did not render: " + e.getMessage()
                    + "; going on", now);
        }
        // written down before it goes out: a crash from here on sends it again, with the same key
        Boolean held = transactions.execute(s -> store.note(run.runId(), workerId, hook.id(), "webhook-sending",
                                                            "attempt " + attempt + ", Idempotency-Key " + key, now,
                                                            properties.lease()));
        if (!Boolean.TRUE.equals(held)) {
            throw new LostRun();
        }
        Map<String, String> metadata = Map.of("flowId", run.flowId().toString(), "runId", run.runId().toString(),
                                              "contactId", run.contactId().toString());
        SendResult result = webhook.send(new OutboundMessage(key, hook.url(), null, null, null, body, null, metadata));
        Instant after = clock.instant();
        return switch (result.outcome()) {
            case SENT -> Next.go(hook.next(), "webhook", "sent (2xx), attempt " + attempt, after);
            case PERMANENT_FAILURE -> Next.go(hook.next(), "webhook-failed", result.error() + ", attempt " + attempt
                    + "; not retried, going on", after);
            case TRANSIENT_FAILURE, UNKNOWN -> {
                if (attempt >= properties.webhookMaxAttempts()) {
                    yield Next.go(hook.next(), "webhook-failed", result.error() + ", attempt " + attempt + " of "
                            + properties.webhookMaxAttempts() + "; giving up, going on", after);
                }
                Duration backoff = properties.webhookRetry().multipliedBy(1L << Math.min(attempt - 1, 10));
                yield new Next(hook.id(), FlowRunState.ACTIVE, null, after.plus(backoff), attempt, "webhook-retry",
                               result.error() + ", attempt " + attempt + "; again at " + after.plus(backoff));
            }
        };
    }

    private ContactView contact(FlowRunStore.Run run) {
        return FlowDefinitions.join(queries.query(new FindContactQuery(run.contactId().toString()),
                                                  ResponseTypes.instanceOf(ContactView.class)));
    }
}
