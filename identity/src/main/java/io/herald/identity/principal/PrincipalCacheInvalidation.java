package io.herald.identity.principal;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Empties the {@link PrincipalCache} when a user's roles or active flag change or an API key is
 * revoked in this instance. The identity stores call it at their write (every path to these
 * changes goes through them): the cache is emptied at once, and again when the surrounding
 * transaction has ended (so a request that read the old row meanwhile cannot keep it), before the
 * response to the change is written.
 */
@Component
public class PrincipalCacheInvalidation {

    private final PrincipalCache cache;

    public PrincipalCacheInvalidation(PrincipalCache cache) {
        this.cache = cache;
    }

    public void identityChanged() {
        cache.invalidateAll(); // now, and again once the change is visible to every reader
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    cache.invalidateAll();
                }
            });
        }
    }
}
