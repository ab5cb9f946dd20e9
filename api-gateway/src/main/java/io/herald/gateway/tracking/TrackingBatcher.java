package io.herald.gateway.tracking;

import io.herald.api.common.DomainException;
import io.herald.api.common.MetadataKeys;
import io.herald.api.tracking.TrackEventsCommand;
import io.herald.api.tracking.TrackResult;
import io.herald.api.tracking.TrackedEventInput;
import io.herald.gateway.config.GatewayProperties;
import io.herald.gateway.contact.Queries;
import io.herald.gateway.web.RequestContext;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.axonframework.messaging.MetaData;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for single tracked events: concurrent {@code POST /api/track} requests of one caller
 * are stored together, one transaction (one fsync) for the events that arrived while the previous
 * group was being written, instead of one each. Nothing waits for a group to fill: a request that
 * finds the writers idle is written at once. Each request still gets its own outcome and its own
 * correlation id on its event; a group refused as a whole (one invalid event) is retried event by
 * event, so an invalid event is answered with its own error and never costs the others theirs.
 */
@Component
class TrackingBatcher implements DisposableBean {

    /** {@code trace}: the request's trace context (empty with tracing off); a group is sent in its first's. */
    private record Pending(TrackedEventInput input, String actor, CompletableFuture<TrackResult.Outcome> outcome,
                           Context trace) {
    }

    private final CommandGateway commandGateway;
    private final RequestContext requestContext;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Semaphore writers;
    private final int maxGroup;
    private final ExecutorService pool;
    private final Thread dispatcher;
    private volatile boolean running = true;

    TrackingBatcher(CommandGateway commandGateway, RequestContext requestContext,
                    GatewayProperties properties) {
        int writers = properties.tracking().groupCommit().writers();
        this.commandGateway = commandGateway;
        this.requestContext = requestContext;
        this.writers = new Semaphore(writers);
        this.maxGroup = properties.tracking().groupCommit().maxEvents();
        this.pool = Executors.newFixedThreadPool(writers, Thread.ofPlatform().name("herald-track-writer-", 0)
                .daemon().factory());
        this.dispatcher = Thread.ofPlatform().name("herald-track-dispatcher").daemon().start(this::dispatch);
    }

    /** Stores one event (with the events of concurrent requests) and answers its outcome. */
    TrackResult.Outcome track(TrackedEventInput input) {
        TrackedEventInput withCorrelation = new TrackedEventInput(input.userId(), input.anonymousId(), input.event(),
                                                                  input.properties(), input.timestamp(),
                                                                  input.messageId(), requestContext.correlationId());
        Pending pending = new Pending(withCorrelation, requestContext.actor(), new CompletableFuture<>(),
                                      Context.current());
        queue.add(pending);
        try {
            return pending.outcome().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private void dispatch() {
        while (running) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                writers.acquire();
                List<Pending> group = new ArrayList<>();
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                // one command per caller: the actor is the command's, and a caller's events stay its own
                Map<String, List<Pending>> byActor = new LinkedHashMap<>();
                for (Pending p : group) {
                    byActor.computeIfAbsent(p.actor(), a -> new ArrayList<>()).add(p);
                }
                List<List<Pending>> groups = new ArrayList<>(byActor.values());
                for (int i = 1; i < groups.size(); i++) {
                    writers.acquire();
                }
                for (List<Pending> sameActor : groups) {
                    pool.execute(() -> {
                        try {
                            write(sameActor);
                        } finally {
                            writers.release();
                        }
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void write(List<Pending> group) {
        try {
            TrackResult result = send(group);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).outcome().complete(result.outcomes().get(i));
            }
        } catch (DomainException refused) {
            if (group.size() == 1) {
                group.get(0).outcome().completeExceptionally(refused);
                return;
            }
            for (Pending one : group) { // one event spoiled the group: each on its own
                write(List.of(one));
            }
        } catch (RuntimeException e) {
            group.forEach(p -> p.outcome().completeExceptionally(e));
        }
    }

    private TrackResult send(List<Pending> group) {
        List<TrackedEventInput> inputs = group.stream().map(Pending::input).toList();
        MetaData metaData = MetaData.with(MetadataKeys.ACTOR, group.get(0).actor())
                .and(MetadataKeys.CORRELATION_ID, group.get(0).input().correlationId());
        try (Scope ignored = group.get(0).trace().makeCurrent()) {
            return Queries.sendRetrying(commandGateway, GenericCommandMessage.asCommandMessage(
                    new TrackEventsCommand(inputs, "api", null)).andMetaData(metaData));
        } catch (RuntimeException e) {
            throw Queries.unwrap(e);
        }
    }

    @Override
    public void destroy() {
        running = false;
        dispatcher.interrupt();
        pool.shutdown();
    }
}
