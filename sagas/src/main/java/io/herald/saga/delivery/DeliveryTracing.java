package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.saga.channel.ChannelAdapter;
import io.herald.saga.channel.OutboundMessage;
import io.herald.saga.channel.SendResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delivery worker's spans: one per batch (never one per recipient), in the trace of the campaign's launch
 * while the launch is younger than {@code maxParentAge} (else a new trace linked to it), with the batch's counts
 * as attributes; and client spans for the outgoing calls of a sampled batch (an SMTP connection's part, an SMS
 * provider call, a webhook request), at most {@code clientSpansPerBatch} per batch, so a million recipients make
 * a few thousand spans at most. Webhook requests carry the {@code traceparent} of the span they are sent under.
 * <p>
 * No personal data: names are the channel's, attributes are ids and counts, never an address, number or body.
 * {@link #OFF} (tracing not configured) creates nothing.
 */
public final class DeliveryTracing {

    /** The message metadata key (and HTTP header) of the W3C trace context. */
    public static final String TRACEPARENT = "traceparent";

    public static final DeliveryTracing OFF = new DeliveryTracing(null, Duration.ZERO, 0, Clock.systemUTC());

    static final AttributeKey<String> CAMPAIGN = AttributeKey.stringKey("herald.campaign.id");
    static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("herald.channel");
    static final AttributeKey<Long> CLAIMED = AttributeKey.longKey("herald.batch.claimed");
    static final AttributeKey<Long> MESSAGES = AttributeKey.longKey("herald.messages");
    static final AttributeKey<Long> FAILED = AttributeKey.longKey("herald.messages.failed");

    /** How many client spans the batch in this context may still start. */
    private static final ContextKey<AtomicInteger> CLIENT_SPANS_LEFT = ContextKey.named("herald-client-spans-left");
    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<String> TRACEPARENT_TEXT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;
    private final Duration maxParentAge;
    private final int clientSpansPerBatch;
    private final Clock clock;

    /** {@code tracer} null: off. */
    public DeliveryTracing(Tracer tracer, Duration maxParentAge, int clientSpansPerBatch, Clock clock) {
        this.tracer = tracer;
        this.maxParentAge = maxParentAge;
        this.clientSpansPerBatch = Math.max(0, clientSpansPerBatch);
        this.clock = clock;
    }

    public boolean enabled() {
        return tracer != null;
    }

    /** The W3C {@code traceparent} of the span current on this thread; null when there is none (tracing off). */
    public static String currentTraceparent() {
        SpanContext current = Span.current().getSpanContext();
        if (!current.isValid()) {
            return null;
        }
        return "00-" + current.getTraceId() + "-" + current.getSpanId() + "-" + current.getTraceFlags().asHex();
    }

    /** Work of one run on a worker thread, until {@link #close()}. */
    public interface RunScope extends AutoCloseable {

        @Override
        void close();
    }

    /**
     * Work for one run outside a batch (recording its frozen audience): its launch's trace is current, when it has
     * one, and its correlation id and the delivery actor are in the logging context, so what is logged and sent
     * meanwhile belongs to the launch.
     */
    public static RunScope forRun(CampaignRuns.ActiveRun run) {
        String previousCorrelationId = MDC.get("correlationId");
        String previousActor = MDC.get("actor");
        if (run.correlationId() != null) {
            MDC.put("correlationId", run.correlationId());
        }
        MDC.put("actor", CampaignSendSaga.ACTOR);
        SpanContext launch = run.traceparent() == null ? SpanContext.getInvalid()
                : Span.fromContext(W3C.extract(Context.root(), run.traceparent(), TRACEPARENT_TEXT)).getSpanContext();
        Scope scope = launch.isValid() ? Context.root().with(Span.wrap(launch)).makeCurrent() : Scope.noop();
        return () -> {
            scope.close();
            restore("correlationId", previousCorrelationId);
            restore("actor", previousActor);
        };
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /** A batch under way: its span is current until {@link #close()}. */
    public interface Batch extends AutoCloseable {

        /** Counts the batch's results as attributes. */
        void record(List<Deliveries.Result> results);

        @Override
        void close();
    }

    private static final Batch NO_BATCH = new Batch() {
        @Override
        public void record(List<Deliveries.Result> results) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Starts a batch's span and makes it current: a child of the launch ({@code launchTraceparent}, as the send saga
     * wrote it on the run) while the launch is recent, else the root of a new trace with a link to the launch.
     */
    public Batch batch(String launchTraceparent, Instant launchedAt, String campaignId, Channel channel, int claimed) {
        if (tracer == null) {
            return NO_BATCH;
        }
        SpanContext launch = launchTraceparent == null ? SpanContext.getInvalid()
                : Span.fromContext(W3C.extract(Context.root(), launchTraceparent, TRACEPARENT_TEXT)).getSpanContext();
        SpanBuilder builder = tracer.spanBuilder("delivery batch " + channel.name().toLowerCase())
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(CAMPAIGN, campaignId)
                .setAttribute(CHANNEL, channel.name())
                .setAttribute(CLAIMED, (long) claimed);
        boolean recent = launchedAt != null && Duration.between(launchedAt, clock.instant()).compareTo(maxParentAge) <= 0;
        if (launch.isValid() && recent) {
            builder.setParent(Context.root().with(Span.wrap(launch)));
        } else {
            builder.setNoParent();
            if (launch.isValid()) {
                builder.addLink(launch);
            }
        }
        Span span = builder.startSpan();
        Scope scope = Context.root().with(span).with(CLIENT_SPANS_LEFT, new AtomicInteger(clientSpansPerBatch))
                .makeCurrent();
        return new Batch() {
            @Override
            public void record(List<Deliveries.Result> results) {
                if (!span.isRecording()) {
                    return;
                }
                Map<DeliveryStatus, Long> counts = new java.util.EnumMap<>(DeliveryStatus.class);
                for (Deliveries.Result result : results) {
                    counts.merge(result.status(), 1L, Long::sum);
                }
                counts.forEach((status, count) -> span.setAttribute(
                        "herald.batch." + status.name().toLowerCase(), count));
            }

            @Override
            public void close() {
                scope.close();
                span.end();
            }
        };
    }

    /** The adapter whose calls are client spans (within the batch's budget); the adapter itself when off. */
    public ChannelAdapter traced(ChannelAdapter adapter) {
        if (tracer == null) {
            return adapter;
        }
        return new ChannelAdapter() {
            @Override
            public Channel channel() {
                return adapter.channel();
            }

            @Override
            public SendResult send(OutboundMessage message) {
                return sendAll(List.of(message)).get(0);
            }

            @Override
            public List<SendResult> sendAll(List<OutboundMessage> messages) {
                Span span = clientSpan(adapter.channel(), messages.size());
                if (span == null) {
                    return adapter.sendAll(messages);
                }
                try (Scope ignored = span.makeCurrent()) {
                    List<SendResult> results = adapter.sendAll(messages);
                    long failed = results.stream().filter(r -> r.outcome() != SendResult.Outcome.SENT).count();
                    span.setAttribute(FAILED, failed);
                    if (failed > 0) {
                        span.setStatus(StatusCode.ERROR);
                    }
                    return results;
                } catch (RuntimeException e) {
                    span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
                    throw e;
                } finally {
                    span.end();
                }
            }

            @Override
            public String toString() {
                return adapter.toString();
            }
        };
    }

    /** A client span for a call of a recorded batch with budget left; null otherwise. */
    private Span clientSpan(Channel channel, int messages) {
        Context context = Context.current();
        AtomicInteger left = context.get(CLIENT_SPANS_LEFT);
        if (left == null || !Span.fromContext(context).isRecording() || left.getAndDecrement() <= 0) {
            return null;
        }
        String name = switch (channel) {
            case EMAIL -> "smtp send";
            case SMS -> "sms provider send";
            case WEBHOOK -> "webhook send";
        };
        return tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).setParent(context)
                .setAttribute(CHANNEL, channel.name())
                .setAttribute(MESSAGES, (long) messages)
                .startSpan();
    }

    /** Runs a task of the current batch on another thread (a parallel send) in the batch's context. */
    public <T> java.util.concurrent.Callable<T> inCurrentContext(java.util.concurrent.Callable<T> task) {
        return tracer == null ? task : Context.current().wrap(task);
    }
}
