package io.herald.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.time.Clock;
import java.time.Duration;

/**
 * A span around the handling of a message, current while the handler runs (so the events it applies and the
 * commands it sends carry it: {@link TraceCorrelationDataProvider}).
 * <ul>
 *   <li>Commands ({@link #forCommands}): {@code command <CommandName>}, the child of the trace the command
 *       carries (the HTTP request's), or a new trace when it carries none (a scheduled launch).</li>
 *   <li>Events ({@link #forProcessor}): {@code <processing group> <EventName>}, the child of the span that
 *       produced the event while the event is younger than {@code maxParentAge}; an older event (a processor far
 *       behind, a replay) starts a new trace with a link to it, so a trace never spans days. An event that
 *       carries no trace (stored with tracing off) is handled without a span.</li>
 * </ul>
 * Names and attributes hold message types, processing groups and ids, never payload values.
 */
public final class TraceHandlerInterceptor implements MessageHandlerInterceptor<Message<?>> {

    static final AttributeKey<String> MESSAGE_TYPE = AttributeKey.stringKey("axon.message.type");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("axon.message.id");
    static final AttributeKey<String> PROCESSING_GROUP = AttributeKey.stringKey("axon.processing_group");
    static final AttributeKey<Boolean> PARENT_TOO_OLD = AttributeKey.booleanKey("herald.trace.parent_too_old");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final Tracer tracer;
    private final String processingGroup;
    private final Duration maxParentAge;
    private final Clock clock;

    private TraceHandlerInterceptor(Tracer tracer, String processingGroup, Duration maxParentAge, Clock clock) {
        this.tracer = tracer;
        this.processingGroup = processingGroup;
        this.maxParentAge = maxParentAge;
        this.clock = clock;
    }

    public static TraceHandlerInterceptor forCommands(Tracer tracer) {
        return new TraceHandlerInterceptor(tracer, null, null, Clock.systemUTC());
    }

    public static TraceHandlerInterceptor forProcessor(Tracer tracer, String processingGroup, Duration maxParentAge,
                                                       Clock clock) {
        return new TraceHandlerInterceptor(tracer, processingGroup, maxParentAge, clock);
    }

    @Override
    public Object handle(UnitOfWork<? extends Message<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        Message<?> message = unitOfWork.getMessage();
        Span span = start(message);
        if (span == null) {
            return interceptorChain.proceed();
        }
        try (Scope ignored = span.makeCurrent()) {
            return interceptorChain.proceed();
        } catch (Exception | Error e) {
            // the type only: an exception's message may quote what a contact sent
            span.setStatus(StatusCode.ERROR);
            span.setAttribute(ERROR_TYPE, e.getClass().getName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** The span for a message, started; null for an event that carries no trace. */
    Span start(Message<?> message) {
        SpanContext parent = TraceMetadata.of(message);
        String type = message.getPayloadType().getSimpleName();
        SpanBuilder builder;
        if (processingGroup == null) {
            builder = tracer.spanBuilder("command " + type).setSpanKind(SpanKind.INTERNAL)
                    .setAttribute(MESSAGE_TYPE, "command");
            builder.setParent(parent.isValid() ? Context.root().with(Span.wrap(parent)) : Context.current());
        } else {
            if (!parent.isValid()) {
                return null;
            }
            builder = tracer.spanBuilder(processingGroup + " " + type).setSpanKind(SpanKind.CONSUMER)
                    .setAttribute(MESSAGE_TYPE, "event")
                    .setAttribute(PROCESSING_GROUP, processingGroup);
            if (message instanceof EventMessage<?> event
                    && Duration.between(event.getTimestamp(), clock.instant()).compareTo(maxParentAge) > 0) {
                builder.setNoParent().addLink(parent).setAttribute(PARENT_TOO_OLD, true);
            } else {
                builder.setParent(Context.root().with(Span.wrap(parent)));
            }
        }
        return builder.setAttribute(MESSAGE_ID, message.getIdentifier()).startSpan();
    }
}
