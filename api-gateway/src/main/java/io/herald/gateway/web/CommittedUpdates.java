package io.herald.gateway.web;

import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.queryhandling.GenericSubscriptionQueryMessage;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryBackpressure;
import org.axonframework.queryhandling.SubscriptionQueryMessage;
import org.axonframework.queryhandling.SubscriptionQueryUpdateMessage;
import org.axonframework.queryhandling.UpdateHandlerRegistration;
import org.axonframework.common.Registration;

import java.util.Set;
import java.util.function.Predicate;

/**
 * Axon's query update emitter, which also hands the request thread the updates its own command committed.
 * <p>
 * A projection written in the command's transaction (a subscribing group, e.g. campaigns) emits the view it
 * stored, as every projection does for live views. {@link WritePath} opens a {@link Capture} for the query of
 * the resource it writes before sending the command; an update emitted on that thread for a matching query is
 * kept once the unit of work has committed (never for one that rolled back). So the answer is the row exactly
 * as the command's transaction wrote it (the projection's {@code returning}), without reading it again: no
 * second query, no second transaction. The capture lives on the thread and only while it is open; updates
 * on other threads, or with no capture open, go only to subscribers as before.
 */
public final class CommittedUpdates implements QueryUpdateEmitter {

    private static final ThreadLocal<Capture<?>> OPEN = new ThreadLocal<>();

    private final QueryUpdateEmitter delegate;

    public CommittedUpdates(QueryUpdateEmitter delegate) {
        this.delegate = delegate;
    }

    /**
     * Opens a capture on this thread for updates of {@code type} emitted to subscribers of {@code query};
     * close it (try-with-resources) on the same thread. One capture per thread at a time: an inner one
     * replaces the outer until it closes.
     */
    public <V> Capture<V> capture(Object query, Class<V> type) {
        Capture<V> capture = new Capture<>(new GenericSubscriptionQueryMessage<>(
                query, ResponseTypes.instanceOf(type), ResponseTypes.instanceOf(type)), type, OPEN.get());
        OPEN.set(capture);
        return capture;
    }

    @Override
    public <U> void emit(Predicate<SubscriptionQueryMessage<?, ?, U>> filter, SubscriptionQueryUpdateMessage<U> update) {
        Capture<?> capture = OPEN.get();
        if (capture != null) {
            capture.consider(filter, update);
        }
        delegate.emit(filter, update);
    }

    @Override
    public void complete(Predicate<SubscriptionQueryMessage<?, ?, ?>> filter) {
        delegate.complete(filter);
    }

    @Override
    public void completeExceptionally(Predicate<SubscriptionQueryMessage<?, ?, ?>> filter, Throwable cause) {
        delegate.completeExceptionally(filter, cause);
    }

    @Override
    public boolean queryUpdateHandlerRegistered(SubscriptionQueryMessage<?, ?, ?> query) {
        return delegate.queryUpdateHandlerRegistered(query);
    }

    @Override
    @SuppressWarnings("deprecation")
    public <U> UpdateHandlerRegistration<U> registerUpdateHandler(SubscriptionQueryMessage<?, ?, ?> query,
                                                                  SubscriptionQueryBackpressure backpressure,
                                                                  int updateBufferSize) {
        return delegate.registerUpdateHandler(query, backpressure, updateBufferSize);
    }

    @Override
    public <U> UpdateHandlerRegistration<U> registerUpdateHandler(SubscriptionQueryMessage<?, ?, ?> query,
                                                                  int updateBufferSize) {
        return delegate.registerUpdateHandler(query, updateBufferSize);
    }

    @Override
    public Set<SubscriptionQueryMessage<?, ?, ?>> activeSubscriptions() {
        return delegate.activeSubscriptions();
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super SubscriptionQueryUpdateMessage<?>> interceptor) {
        return delegate.registerDispatchInterceptor(interceptor);
    }

    /** The newest committed update for one query on one thread (see the class). */
    public static final class Capture<V> implements AutoCloseable {

        private final SubscriptionQueryMessage<?, ?, V> query;
        private final Class<V> type;
        private final Capture<?> outer;
        private volatile V latest;

        private Capture(SubscriptionQueryMessage<?, ?, V> query, Class<V> type, Capture<?> outer) {
            this.query = query;
            this.type = type;
            this.outer = outer;
        }

        /** The newest update committed for the query since the capture opened, or null. */
        public V latest() {
            return latest;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private <U> void consider(Predicate<SubscriptionQueryMessage<?, ?, U>> filter,
                                  SubscriptionQueryUpdateMessage<U> update) {
            Object payload = update.getPayload();
            if (!type.isInstance(payload) || !((Predicate) filter).test(query)) {
                return;
            }
            V view = type.cast(payload);
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().afterCommit(unitOfWork -> latest = view);
            } else {
                latest = view;
            }
        }

        @Override
        public void close() {
            if (OPEN.get() == this) {
                if (outer == null) {
                    OPEN.remove();
                } else {
                    OPEN.set(outer);
                }
            }
        }
    }
}
