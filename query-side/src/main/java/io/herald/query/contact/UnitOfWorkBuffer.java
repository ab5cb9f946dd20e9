package io.herald.query.contact;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Collects a projection's writes across the events of one processor batch and flushes them in one
 * go just before the batch's transaction commits (with the processor's token). A pooled processor
 * handles a whole batch in one unit of work, so a batch of 500 tracked events becomes one
 * multi-row INSERT instead of 500.
 * <p>
 * The buffer belongs to the unit of work the handler runs in: a streaming processor's batch (a root
 * unit of work, flushed before its transaction commits), or a subscribing processor's nested unit
 * of work inside the command's (flushed when the processor has handled the command's events, so
 * the rows are written before the event store's insert, which comes last: see the api-gateway's
 * {@code LateAppendStorageEngine}).
 */
public final class UnitOfWorkBuffer {

    private UnitOfWorkBuffer() {
    }

    /** The buffer of this kind for the current unit of work, made (and its flush registered) on first use. */
    public static <B> B get(String key, Supplier<B> factory, Consumer<B> flush) {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        return unitOfWork.getOrComputeResource(key, k -> {
            B buffer = factory.get();
            unitOfWork.onPrepareCommit(u -> flush.accept(buffer));
            return buffer;
        });
    }
}
