package io.herald.gateway.config;

import io.herald.api.common.MetadataKeys;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.MDC;

/**
 * While a command or event is handled, its {@code correlationId} and {@code actor} (message metadata) are in the
 * logging context, so what a handler, a projection or a saga logs names the request it comes from (and, in JSON
 * logs, carries both as fields). What was in the context before is put back afterwards.
 */
public final class MetadataMdcInterceptor implements MessageHandlerInterceptor<Message<?>> {

    static final String MDC_CORRELATION_ID = "correlationId";
    static final String MDC_ACTOR = "actor";

    @Override
    public Object handle(UnitOfWork<? extends Message<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        Message<?> message = unitOfWork.getMessage();
        Object correlationId = message.getMetaData().get(MetadataKeys.CORRELATION_ID);
        Object actor = message.getMetaData().get(MetadataKeys.ACTOR);
        if (correlationId == null && actor == null) {
            return interceptorChain.proceed();
        }
        String previousCorrelationId = MDC.get(MDC_CORRELATION_ID);
        String previousActor = MDC.get(MDC_ACTOR);
        put(MDC_CORRELATION_ID, correlationId);
        put(MDC_ACTOR, actor);
        try {
            return interceptorChain.proceed();
        } finally {
            restore(MDC_CORRELATION_ID, previousCorrelationId);
            restore(MDC_ACTOR, previousActor);
        }
    }

    private static void put(String key, Object value) {
        if (value != null) {
            MDC.put(key, value.toString());
        }
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
