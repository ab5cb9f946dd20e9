package io.herald.saga.webhook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sender's wake-up: after the queuing transaction commits, never before it nor after a rollback. */
class WebhookWakeUpTest {

    private final WebhookWakeUp wakeUp = new WebhookWakeUp();

    @AfterEach
    void clear() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
        TransactionSynchronizationManager.unbindResourceIfPossible(wakeUp);
    }

    @Test
    void withoutAWakeUp_theSenderWaitsItsPollInterval() throws InterruptedException {
        assertThat(waitedMillis(150)).isGreaterThanOrEqualTo(140);
    }

    @Test
    void aWakeUp_beforeTheWait_endsTheNextWaitAtOnce_andOnlyThatOne() throws InterruptedException {
        wakeUp.wake();
        assertThat(waitedMillis(5_000)).isLessThan(1_000);
        assertThat(waitedMillis(150)).isGreaterThanOrEqualTo(140);
    }

    @Test
    void queuingOutsideATransaction_wakesAtOnce() throws InterruptedException {
        wakeUp.afterCommit();
        assertThat(waitedMillis(5_000)).isLessThan(1_000);
    }

    @Test
    void queuingInATransaction_wakesWhenItCommits_onceForSeveralWrites() throws InterruptedException {
        TransactionSynchronizationManager.initSynchronization();
        wakeUp.afterCommit();
        wakeUp.afterCommit();
        List<TransactionSynchronization> registered = TransactionSynchronizationManager.getSynchronizations();
        assertThat(registered).hasSize(1);
        assertThat(waitedMillis(150)).as("not before the commit").isGreaterThanOrEqualTo(140);

        complete(registered, TransactionSynchronization.STATUS_COMMITTED);
        assertThat(waitedMillis(5_000)).isLessThan(1_000);

        TransactionSynchronizationManager.initSynchronization();
        wakeUp.afterCommit();
        assertThat(TransactionSynchronizationManager.getSynchronizations()).as("the next transaction registers anew")
                .hasSize(1);
    }

    @Test
    void aRolledBackTransaction_wakesNoOne() throws InterruptedException {
        TransactionSynchronizationManager.initSynchronization();
        wakeUp.afterCommit();
        complete(TransactionSynchronizationManager.getSynchronizations(),
                 TransactionSynchronization.STATUS_ROLLED_BACK);
        assertThat(waitedMillis(150)).isGreaterThanOrEqualTo(140);
    }

    /** As a transaction manager ends a transaction: its synchronizations cleared, then told how it ended. */
    private static void complete(List<TransactionSynchronization> registered, int status) {
        TransactionSynchronizationManager.clearSynchronization();
        TransactionSynchronizationUtils.invokeAfterCompletion(registered, status);
    }

    private long waitedMillis(long timeout) throws InterruptedException {
        long started = System.nanoTime();
        wakeUp.await(timeout);
        return (System.nanoTime() - started) / 1_000_000;
    }
}
