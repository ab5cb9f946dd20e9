package io.herald.gateway.contact;

import io.herald.api.common.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Small helpers for the audience controllers: answers of the query bus with the domain's own
 * exception (not Axon's wrappers), and commands retried after a lost database race.
 * Read-your-writes is {@link io.herald.gateway.web.WritePath}.
 */
public final class Queries {

    private static final Logger log = LoggerFactory.getLogger(Queries.class);

    private Queries() {
    }

    /** The result, or the {@link DomainException} (or other runtime exception) the handler threw. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    /**
     * The {@link DomainException} somewhere in {@code e}'s causes (the one the handler threw, however Axon
     * wrapped it), else the cause a future failed with, else {@code e} itself.
     */
    public static RuntimeException unwrap(Throwable e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof DomainException de) {
                return de;
            }
            if (cause.getCause() == null || cause.getCause() == cause) {
                break;
            }
            cause = cause.getCause();
        }
        if (e instanceof CompletionException || e instanceof ExecutionException) {
            return e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
        return e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }

    /**
     * Sends a command and waits for it; when it lost a race in the database (a deadlock, a
     * serialization failure, or a unique key a concurrent transaction took first, e.g. two imports
     * creating the same contact; each rolled the command back whole) it is sent again, at
     * most three times, and then sees the winner's write. Only for commands that are safe to repeat
     * (idempotent, or refused as a whole).
     */
    public static <R> R sendRetrying(org.axonframework.commandhandling.gateway.CommandGateway gateway, Object command) {
        for (int attempt = 1; ; attempt++) {
            try {
                return gateway.sendAndWait(command);
            } catch (RuntimeException e) {
                if (attempt >= 3 || !transientFailure(e)) {
                    throw e;
                }
                log.debug("Retrying {} after {}", command.getClass().getSimpleName(), e.toString());
            }
        }
    }

    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.springframework.dao.TransientDataAccessException
                    || t instanceof org.springframework.dao.PessimisticLockingFailureException
                    || t instanceof org.axonframework.modelling.command.ConcurrencyException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().equals("40P01") || sql.getSQLState().equals("40001")
                        || sql.getSQLState().equals("23505"))) {
                return true;
            }
        }
        return false;
    }
}
