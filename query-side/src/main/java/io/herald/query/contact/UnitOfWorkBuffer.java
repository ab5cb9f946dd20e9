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
 */
public final class UnitOfWorkBuffer {

    private UnitOfWorkBuffer() {
    }

    /** The buffer of this kind for the current unit of work, made (and its flush registered) on first use. */
    public static <B> B get(String key, Supplier<B> factory, Consumer<B> flush) {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(key, k -> {
            B buffer = factory.get();
            unitOfWork.onPrepareCommit(u -> flush.accept(buffer));
            return buffer;
        });
    }
}
