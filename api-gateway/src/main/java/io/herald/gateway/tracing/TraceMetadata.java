package io.herald.gateway.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.axonframework.messaging.Message;

/**
 * The W3C {@code traceparent} (version 00) an Axon message carries in its metadata, written and read here
 * without a propagator object per message. A value that is not a well-formed traceparent is ignored (the
 * handler starts a new trace), never an error.
 */
public final class TraceMetadata {

    /** The metadata key, the same name as the HTTP header. */
    public static final String TRACEPARENT = "traceparent";

    private TraceMetadata() {
    }

    /** The traceparent of a span context; null for an invalid one. */
    public static String traceparent(SpanContext context) {
        if (context == null || !context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /**
     * The traceparent of the span current on this thread, when its trace is sampled; null when there is none or its
     * trace is not sampled. A trace nobody keeps travels nowhere: its messages carry no traceparent, so their
     * metadata stays what it is without tracing (consecutive events share theirs, which the serializer writes once)
     * and the processors that handle them make no span. Nine requests in ten at the default sampling.
     */
    public static String current() {
        SpanContext context = Span.current().getSpanContext();
        return context.isSampled() ? traceparent(context) : null;
    }

    /** The remote span context a message's metadata names; invalid when it names none or a malformed one. */
    public static SpanContext of(Message<?> message) {
        Object value = message.getMetaData().get(TRACEPARENT);
        return value instanceof String text ? parse(text) : SpanContext.getInvalid();
    }

    /** Parses {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}; invalid for anything else. */
    public static SpanContext parse(String value) {
        if (value == null || value.length() != 55 || !value.startsWith("00-") || value.charAt(35) != '-'
                || value.charAt(52) != '-') {
            return SpanContext.getInvalid();
        }
        String traceId = value.substring(3, 35);
        String spanId = value.substring(36, 52);
        String flags = value.substring(53, 55);
        if (!isLowerHex(traceId) || !isLowerHex(spanId) || !isLowerHex(flags)) {
            return SpanContext.getInvalid();
        }
        SpanContext context = SpanContext.createFromRemoteParent(traceId, spanId,
                                                                 TraceFlags.fromHex(flags, 0), TraceState.getDefault());
        return context.isValid() ? context : SpanContext.getInvalid();
    }

    private static boolean isLowerHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
