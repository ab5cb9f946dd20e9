package io.herald.saga.webhook;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells this instance's sender that messages were queued, so it looks for them at once rather than at its next
 * {@code poll-interval}: the outbox calls {@link #afterCommit()} when it writes, and the sender is woken when that
 * transaction commits (never before: it would find nothing). Messages queued by another instance are found by the
 * poll, as before; a wake-up that comes while the sender is busy is kept until it next waits.
 */
final class WebhookWakeUp {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private boolean pending;

    /** Wakes the sender when the current transaction commits (at once when there is none). */
    void afterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            wake();
            return;
        }
        if (TransactionSynchronizationManager.hasResource(this)) {
            return; // once per transaction
        }
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(WebhookWakeUp.this);
                if (status == STATUS_COMMITTED) {
                    wake();
                }
            }
        });
    }

    void wake() {
        lock.lock();
        try {
            pending = true;
            queued.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until woken or {@code millis} have passed; a wake-up since the last wait returns at once. */
    void await(long millis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!pending && nanos > 0) {
                nanos = queued.awaitNanos(nanos);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }
}
