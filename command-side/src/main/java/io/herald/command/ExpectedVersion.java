package io.herald.command;

import io.herald.api.common.MetadataKeys;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;

/**
 * Optimistic concurrency for clients: a command may carry the aggregate version its sender last saw
 * ({@link MetadataKeys#EXPECTED_VERSION}, from an HTTP {@code If-Match}). The aggregate checks it
 * before deciding anything, while it holds the aggregate's lock, so a stale expectation changes
 * nothing. The version is the sequence number of the aggregate's last event, as in the read models
 * and ETags.
 */
public final class ExpectedVersion {

    private ExpectedVersion() {
    }

    /** Throws when the command expects a version and the aggregate is at another one. */
    public static void check(CommandMessage<?> command, String aggregateId, long actual) {
        Object expected = command.getMetaData().get(MetadataKeys.EXPECTED_VERSION);
        if (expected == null) {
            return;
        }
        long version = expected instanceof Number n ? n.longValue() : Long.parseLong(expected.toString());
        if (version != actual) {
            throw new ConflictingAggregateVersionException(aggregateId, version, actual);
        }
    }
}
