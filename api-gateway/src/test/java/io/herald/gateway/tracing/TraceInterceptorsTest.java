package io.herald.gateway.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Axon interceptors of {@link TracingConfiguration}, each on its own, with an in-memory span exporter. */
class TraceInterceptorsTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String PARENT = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + TRACE + "-" + PARENT + "-01";
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");

    record Signup(String email) {
    }

    record Launch(String campaignId) {
    }

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final Tracer tracer = provider.get("test");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @AfterEach
    void close() {
        provider.close();
    }

    // --- TraceMetadata -----------------------------------------------------------------------------

    @Test
    void traceMetadata_readsAWellFormedTraceparent_andIgnoresAnythingElse() {
        assertThat(TraceMetadata.parse(TRACEPARENT).getTraceId()).isEqualTo(TRACE);
        assertThat(TraceMetadata.parse(TRACEPARENT).getSpanId()).isEqualTo(PARENT);
        assertThat(TraceMetadata.parse(TRACEPARENT).isSampled()).isTrue();
        for (String bad : new String[] {null, "", "garbage", "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01",
                "01-" + TRACE + "-" + PARENT + "-01", "00-" + "0".repeat(32) + "-" + PARENT + "-01",
                "00-" + TRACE + "-" + PARENT + "-01-extra", "00-" + TRACE + "x" + PARENT + "-01"}) {
            assertThat(TraceMetadata.parse(bad).isValid()).as(bad).isFalse();
        }
        Message<?> withNumber = GenericEventMessage.asEventMessage("x").andMetaData(Map.of("traceparent", 42));
        assertThat(TraceMetadata.of(withNumber).isValid()).isFalse();
    }

    @Test
    void anUnsampledTrace_travelsNowhere() {
        SdkTracerProvider never = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff())
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
        Span request = never.get("test").spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            assertThat(Span.current().getSpanContext().isValid()).isTrue();
            assertThat(TraceMetadata.current()).isNull();
            CommandMessage<?> dispatched = new TraceDispatchInterceptor<CommandMessage<?>>()
                    .handle(GenericCommandMessage.asCommandMessage(new Launch("c-1")));
            assertThat(dispatched.getMetaData()).doesNotContainKey(TraceMetadata.TRACEPARENT);
            assertThat(new TraceCorrelationDataProvider().correlationDataFor(dispatched)).isEmpty();
        } finally {
            request.end();
            never.close();
        }
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    // --- TraceDispatchInterceptor --------------------------------------------------------------------

    @Test
    void dispatch_putsTheCurrentSpanOnTheCommand() {
        Span request = tracer.spanBuilder("request").startSpan();
        CommandMessage<?> dispatched;
        try (Scope ignored = request.makeCurrent()) {
            dispatched = new TraceDispatchInterceptor<CommandMessage<?>>()
                    .handle(GenericCommandMessage.asCommandMessage(new Launch("c1")));
        } finally {
            request.end();
        }
        assertThat(dispatched.getMetaData().get("traceparent"))
                .isEqualTo(TraceMetadata.traceparent(request.getSpanContext()));
    }

    @Test
    void dispatch_outsideAnySpan_leavesTheCommandAsItIs() {
        CommandMessage<?> command = GenericCommandMessage.asCommandMessage(new Launch("c1"))
                .andMetaData(Map.of("traceparent", TRACEPARENT));
        assertThat(new TraceDispatchInterceptor<CommandMessage<?>>().handle(command)).isSameAs(command);
    }

    // --- TraceCorrelationDataProvider ---------------------------------------------------------------

    @Test
    void correlation_isTheHandlersSpan_elseWhatTheHandledMessageCarried() {
        TraceCorrelationDataProvider provider = new TraceCorrelationDataProvider();
        Message<?> handled = GenericEventMessage.asEventMessage("x").andMetaData(Map.of("traceparent", TRACEPARENT));
        assertThat(provider.correlationDataFor(handled)).isEqualTo(Map.of("traceparent", TRACEPARENT));
        assertThat(provider.correlationDataFor(GenericEventMessage.asEventMessage("x"))).isEmpty();
        assertThat(provider.correlationDataFor(null)).isEmpty();
        Span handler = tracer.spanBuilder("handler").startSpan();
        try (Scope ignored = handler.makeCurrent()) {
            assertThat(provider.correlationDataFor(handled))
                    .isEqualTo(Map.of("traceparent", TraceMetadata.traceparent(handler.getSpanContext())));
        } finally {
            handler.end();
        }
    }

    // --- TraceHandlerInterceptor ----------------------------------------------------------------------

    @Test
    void commandHandler_isAChildOfTheTraceTheCommandCarries_andCurrentWhileItRuns() throws Exception {
        AtomicReference<String> currentInHandler = new AtomicReference<>();
        handle(TraceHandlerInterceptor.forCommands(tracer),
               GenericCommandMessage.asCommandMessage(new Launch("c1")).andMetaData(Map.of("traceparent", TRACEPARENT)),
               () -> {
                   currentInHandler.set(TraceMetadata.current());
                   return null;
               });
        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo("command Launch");
        assertThat(span.getTraceId()).isEqualTo(TRACE);
        assertThat(span.getParentSpanId()).isEqualTo(PARENT);
        assertThat(currentInHandler.get()).contains(span.getSpanId());
    }

    @Test
    void commandHandler_withoutATrace_startsOne() throws Exception {
        handle(TraceHandlerInterceptor.forCommands(tracer), GenericCommandMessage.asCommandMessage(new Launch("c1")),
               () -> null);
        assertThat(onlySpan().getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void eventHandler_continuesARecentEventsTrace_namingTheProcessingGroup() throws Exception {
        handle(TraceHandlerInterceptor.forProcessor(tracer, "audience", Duration.ofMinutes(15), clock),
               event(NOW.minusSeconds(5), TRACEPARENT), () -> null);
        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo("audience Signup");
        assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(span.getParentSpanId()).isEqualTo(PARENT);
        assertThat(span.getAttributes().get(TraceHandlerInterceptor.PROCESSING_GROUP)).isEqualTo("audience");
        assertThat(span.getLinks()).isEmpty();
    }

    @Test
    void eventHandler_forAnOldEvent_startsANewTraceLinkedToIt() throws Exception {
        handle(TraceHandlerInterceptor.forProcessor(tracer, "audience", Duration.ofMinutes(15), clock),
               event(NOW.minus(Duration.ofMinutes(16)), TRACEPARENT), () -> null);
        SpanData span = onlySpan();
        assertThat(span.getTraceId()).isNotEqualTo(TRACE);
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(span.getLinks()).hasSize(1);
        assertThat(span.getLinks().get(0).getSpanContext().getSpanId()).isEqualTo(PARENT);
        assertThat(span.getAttributes().get(TraceHandlerInterceptor.PARENT_TOO_OLD)).isTrue();
    }

    @Test
    void eventHandler_forAnEventWithoutATrace_makesNoSpan() throws Exception {
        handle(TraceHandlerInterceptor.forProcessor(tracer, "audience", Duration.ofMinutes(15), clock),
               event(NOW, null), () -> null);
        handle(TraceHandlerInterceptor.forProcessor(tracer, "audience", Duration.ofMinutes(15), clock),
               event(NOW, "not-a-traceparent"), () -> null);
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void aFailingHandler_marksItsSpan_withTheErrorsTypeOnly() {
        assertThatThrownBy(() -> handle(TraceHandlerInterceptor.forCommands(tracer),
                GenericCommandMessage.asCommandMessage(new Launch("c1")), () -> {
                    throw new IllegalArgumentException("ada@example.com is taken");
                })).isInstanceOf(IllegalArgumentException.class);
        SpanData span = onlySpan();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(TraceHandlerInterceptor.ERROR_TYPE))
                .isEqualTo(IllegalArgumentException.class.getName());
        assertThat(span.getEvents()).isEmpty();
        assertThat(span.getAttributes().toString()).doesNotContain("ada@example.com");
    }

    @Test
    void spans_nameTypesNotValues() throws Exception {
        handle(TraceHandlerInterceptor.forProcessor(tracer, "audience", Duration.ofMinutes(15), clock),
               event(NOW, TRACEPARENT), () -> null);
        SpanData span = onlySpan();
        assertThat(span.getName() + span.getAttributes()).doesNotContain("ada@example.com");
    }

    private EventMessage<?> event(Instant at, String traceparent) {
        MetaData metaData = traceparent == null ? MetaData.emptyInstance() : MetaData.with("traceparent", traceparent);
        return new GenericEventMessage<>(java.util.UUID.randomUUID().toString(), new Signup("ada@example.com"), metaData,
                                         at);
    }

    private static void handle(TraceHandlerInterceptor interceptor, Message<?> message,
                               org.axonframework.messaging.InterceptorChain chain) throws Exception {
        UnitOfWork<Message<?>> unitOfWork = DefaultUnitOfWork.startAndGet(message);
        try {
            interceptor.handle(unitOfWork, chain);
        } finally {
            unitOfWork.rollback();
        }
    }

    private SpanData onlySpan() {
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }
}
