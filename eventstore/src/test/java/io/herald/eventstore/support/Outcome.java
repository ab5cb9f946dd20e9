package io.herald.eventstore.support;

import java.util.concurrent.CompletableFuture;

/** A call made on a thread of its own, for calls that may never return (a spin, a lost wake-up). */
public final class Outcome {

    /** A call that may throw anything. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    private Outcome() {
    }

    /**
     * Starts {@code call} on a daemon thread (one that never returns does not keep the JVM alive) and
     * answers with what it threw, or null when it returned.
     */
    public static CompletableFuture<Throwable> ofCall(Call call) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                call.run();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        caller.setDaemon(true);
        caller.start();
        return outcome;
    }
}
