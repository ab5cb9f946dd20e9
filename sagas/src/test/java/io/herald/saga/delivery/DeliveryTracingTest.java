package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.saga.channel.ChannelAdapter;
import io.herald.saga.channel.OutboundMessage;
import io.herald.saga.channel.SendResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryTracingTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String LAUNCH = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + TRACE + "-" + LAUNCH + "-01";
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final DeliveryTracing tracing = new DeliveryTracing(provider.get("test"), Duration.ofMinutes(15), 2,
                                                                Clock.fixed(NOW, ZoneOffset.UTC));
    /** What the adapter under the traced one saw as the current trace, per call. */
    private final List<String> seen = new ArrayList<>();
    private final ChannelAdapter sms = new ChannelAdapter() {
        @Override
        public Channel channel() {
            return Channel.SMS;
        }

        @Override
        public synchronized SendResult send(OutboundMessage message) {
            seen.add(DeliveryTracing.currentTraceparent());
            return message.to().endsWith("0") ? SendResult.permanentFailure("refused") : SendResult.sent("SM1");
        }
    };

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aBatch_isOneSpanInTheLaunchsTrace_withItsCountsAndNoPersonalData() {
        try (DeliveryTracing.Batch batch = tracing.batch(TRACEPARENT, NOW.minusSeconds(30), "c1", Channel.SMS, 3)) {
            batch.record(List.of(result(DeliveryStatus.SENT), result(DeliveryStatus.SENT),
                                 result(DeliveryStatus.FAILED)));
        }
        SpanData span = only("delivery batch sms");
        assertThat(span.getTraceId()).isEqualTo(TRACE);
        assertThat(span.getParentSpanId()).isEqualTo(LAUNCH);
        assertThat(span.getAttributes().get(DeliveryTracing.CAMPAIGN)).isEqualTo("c1");
        assertThat(span.getAttributes().get(DeliveryTracing.CLAIMED)).isEqualTo(3L);
        assertThat(span.getAttributes().asMap().toString()).contains("herald.batch.sent=2", "herald.batch.failed=1")
                .doesNotContain("+33");
    }

    @Test
    void aBatchOfAnOldLaunch_startsANewTraceLinkedToIt() {
        tracing.batch(TRACEPARENT, NOW.minus(Duration.ofHours(2)), "c1", Channel.SMS, 1).close();
        SpanData span = only("delivery batch sms");
        assertThat(span.getTraceId()).isNotEqualTo(TRACE);
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(span.getLinks()).singleElement()
                .satisfies(link -> assertThat(link.getSpanContext().getSpanId()).isEqualTo(LAUNCH));
    }

    @Test
    void calls_areClientSpansOfTheBatch_atMostTheBudget_andTheRestRunUnderTheBatch() throws Exception {
        ChannelAdapter traced = tracing.traced(sms);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try (DeliveryTracing.Batch batch = tracing.batch(TRACEPARENT, NOW, "c1", Channel.SMS, 4)) {
            for (int i = 0; i < 4; i++) {
                List<OutboundMessage> part = List.of(message("+3361234000" + i));
                // as the batch sender sends parts: on other threads, in the batch's context
                Callable<List<SendResult>> send = tracing.inCurrentContext(() -> traced.sendAll(part));
                threads.submit(send).get();
            }
        } finally {
            threads.shutdown();
        }
        SpanData batch = only("delivery batch sms");
        List<SpanData> calls = exported.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("sms provider send")).toList();
        assertThat(calls).hasSize(2).allSatisfy(call -> {
            assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(call.getParentSpanId()).isEqualTo(batch.getSpanId());
            assertThat(call.getName() + call.getAttributes()).doesNotContain("+336");
        });
        assertThat(calls.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR); // +...0 was refused
        assertThat(seen).hasSize(4).allSatisfy(traceparent -> assertThat(traceparent).startsWith("00-" + TRACE));
        assertThat(seen.subList(2, 4)).allSatisfy(traceparent -> assertThat(traceparent).contains(batch.getSpanId()));
    }

    @Test
    void anUnsampledLaunch_makesNoClientSpans() {
        ChannelAdapter traced = tracing.traced(sms);
        try (DeliveryTracing.Batch ignored = tracing.batch("00-" + TRACE + "-" + LAUNCH + "-00", NOW, "c1",
                                                           Channel.SMS, 1)) {
            traced.sendAll(List.of(message("+33612340001")));
        }
        // the default sampler follows the parent: nothing recorded, but the trace still travels
        assertThat(exported.getFinishedSpanItems()).isEmpty();
        assertThat(seen).singleElement().satisfies(t -> assertThat(t).startsWith("00-" + TRACE).endsWith("-00"));
    }

    @Test
    void off_createsNothing_andLeavesTheAdapterAsItIs() {
        assertThat(DeliveryTracing.OFF.traced(sms)).isSameAs(sms);
        try (DeliveryTracing.Batch ignored = DeliveryTracing.OFF.batch(TRACEPARENT, NOW, "c1", Channel.SMS, 1)) {
            assertThat(Span.current().getSpanContext().isValid()).isFalse();
        }
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    private SpanData only(String name) {
        List<SpanData> spans = exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    private static Deliveries.Result result(DeliveryStatus status) {
        return new Deliveries.Result("contact", status, null, null, null, null, true, null);
    }

    private static OutboundMessage message(String to) {
        return new OutboundMessage("key-" + to, to, null, "Hello", null, null, null, java.util.Map.of());
    }
}
