package io.herald.gateway.tracing;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageDispatchInterceptor;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Puts the trace the sender is in on each message it dispatches (commands from an HTTP request's span, a
 * handler's span or a delivery batch's span): metadata {@code traceparent}. A message dispatched outside any
 * span keeps what it carries (the correlation data of the message being handled, if any).
 */
public final class TraceDispatchInterceptor<M extends Message<?>> implements MessageDispatchInterceptor<M> {

    @Override
    public BiFunction<Integer, M, M> handle(List<? extends M> messages) {
        String traceparent = TraceMetadata.current();
        if (traceparent == null) {
            return (index, message) -> message;
        }
        return (index, message) -> traceparent.equals(message.getMetaData().get(TraceMetadata.TRACEPARENT))
                ? message
                : withTraceparent(message, traceparent);
    }

    @SuppressWarnings("unchecked")
    private static <M extends Message<?>> M withTraceparent(M message, String traceparent) {
        return (M) message.andMetaData(java.util.Map.of(TraceMetadata.TRACEPARENT, traceparent));
    }
}
