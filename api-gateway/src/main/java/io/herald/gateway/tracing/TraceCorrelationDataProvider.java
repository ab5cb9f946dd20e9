package io.herald.gateway.tracing;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

import java.util.Map;

/**
 * The {@code traceparent} of the messages a handler produces (its events, the commands it sends): the span that
 * handles the message ({@link TraceHandlerInterceptor} makes it current), so an event is the child of the command
 * handler that applied it and a saga's command the child of the saga's handler. Without a current span, the
 * handled message's own traceparent travels on unchanged, as the actor and correlation id do.
 */
public final class TraceCorrelationDataProvider implements CorrelationDataProvider {

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        String current = TraceMetadata.current();
        if (current != null) {
            return Map.of(TraceMetadata.TRACEPARENT, current);
        }
        Object carried = message == null ? null : message.getMetaData().get(TraceMetadata.TRACEPARENT);
        return carried instanceof String text ? Map.of(TraceMetadata.TRACEPARENT, text) : Map.of();
    }
}
