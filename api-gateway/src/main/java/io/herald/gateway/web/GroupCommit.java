package io.herald.gateway.web;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

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
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Group commit for the requests of hot endpoints: the items of concurrent requests are written together, one
 * command and one transaction (one fsync) for the items that arrived while the previous groups were being written,
 * instead of one each. Nothing waits for a group to fill: an item that finds a writer idle is written at once. Each
 * request still gets its own answer; a group refused as a whole is written again item by item when the refusal is
 * one an item can cause on its own ({@code alone}), so one bad item never costs the others theirs.
 * <p>
 * Items with different {@code keyOf} values are never in one group (the tracking endpoint keeps a caller's events in
 * a command of the caller's own). A group is written in the trace context of its first item's request.
 *
 * @param <T> what a request hands in
 * @param <R> what it is answered (one per item, in the group's order; may be null)
 */
public final class GroupCommit<T, R> implements AutoCloseable {

    /** Writes a group in one go and answers one result per item, in order. */
    @FunctionalInterface
    public interface Writer<T, R> {
        List<R> write(List<T> group);
    }

    private record Pending<T, R>(T item, Object key, CompletableFuture<R> outcome, Context trace) {
    }

    private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private final Function<T, Object> keyOf;
    private final Writer<T, R> writer;
    private final Predicate<RuntimeException> alone;
    private final Semaphore writers;
    private final int maxGroup;
    private final ExecutorService pool;
    private final Thread dispatcher;
    private volatile boolean running = true;

    /**
     * @param name     names the threads ({@code herald-<name>-writer-0}, {@code herald-<name>-dispatcher})
     * @param writers  groups written at once
     * @param maxGroup items per group at most
     * @param keyOf    items of one key only in a group
     * @param writer   writes a group
     * @param alone    a failure after which each item of the group is written on its own (a group of one fails)
     */
    public GroupCommit(String name, int writers, int maxGroup, Function<T, Object> keyOf, Writer<T, R> writer,
                       Predicate<RuntimeException> alone) {
        this.keyOf = keyOf;
        this.writer = writer;
        this.alone = alone;
        this.writers = new Semaphore(writers);
        this.maxGroup = maxGroup;
        this.pool = Executors.newFixedThreadPool(writers, Thread.ofPlatform().name("herald-" + name + "-writer-", 0)
                .daemon().factory());
        this.dispatcher = Thread.ofPlatform().name("herald-" + name + "-dispatcher").daemon().start(this::dispatch);
    }

    /** Writes {@code item} (with the items of concurrent requests) and answers its result, or throws its failure. */
    public R submit(T item) {
        Pending<T, R> pending = new Pending<>(item, keyOf.apply(item), new CompletableFuture<>(), Context.current());
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
                Pending<T, R> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                writers.acquire();
                List<Pending<T, R>> drained = new ArrayList<>();
                drained.add(first);
                queue.drainTo(drained, maxGroup - 1);
                Map<Object, List<Pending<T, R>>> byKey = new LinkedHashMap<>();
                for (Pending<T, R> p : drained) {
                    byKey.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
                }
                List<List<Pending<T, R>>> groups = new ArrayList<>(byKey.values());
                for (int i = 1; i < groups.size(); i++) {
                    writers.acquire();
                }
                for (List<Pending<T, R>> group : groups) {
                    pool.execute(() -> {
                        try {
                            write(group);
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

    private void write(List<Pending<T, R>> group) {
        try {
            List<R> results;
            try (Scope ignored = group.get(0).trace().makeCurrent()) {
                results = writer.write(group.stream().map(Pending::item).toList());
            }
            for (int i = 0; i < group.size(); i++) {
                group.get(i).outcome().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            if (group.size() > 1 && alone.test(e)) {
                for (Pending<T, R> one : group) { // one item spoiled the group: each on its own
                    write(List.of(one));
                }
                return;
            }
            group.forEach(p -> p.outcome().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        running = false;
        dispatcher.interrupt();
        pool.shutdown();
    }
}
