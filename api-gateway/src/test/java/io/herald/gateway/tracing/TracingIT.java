package io.herald.gateway.tracing;

import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.delivery.WebhookSink;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import io.herald.gateway.tracing.OtlpReceiver.ReceivedSpan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces end to end (issue "Observability"): Herald exports to a real OTLP/HTTP receiver in this test, with every
 * new trace sampled. A request that carries a {@code traceparent} (as from a browser or a proxy that traces) is
 * followed through the command, the events, the saga, the delivery batch and the webhook request, whose
 * {@code traceparent} header names the same trace; a tracked event's projection is in its request's trace.
 */
class TracingIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static OtlpReceiver receiver;
    private static WebhookSink sink;
    private static HeraldInstance herald;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        sink = new WebhookSink();
        herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                      // a bare endpoint, as docker-compose gives Jaeger's: /v1/traces is added
                                      "herald.tracing.otlp-endpoint=" + receiver.baseUrl(),
                                      "herald.tracing.sampling=1.0",
                                      "management.tracing.opentelemetry.export.schedule-delay=200ms",
                                      "herald.delivery.allow-private-targets=true",
                                      "herald.delivery.worker.poll-interval=100ms");
        api = TestAuth.asAdmin(herald.api());
    }

    @AfterAll
    static void stop() {
        if (herald != null) {
            herald.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void launchingAWebhookCampaign_isOneTraceFromTheRequestToTheWebhook() {
        String k = UUID.randomUUID().toString().substring(0, 8);
        String email = "traced-" + k + "@example.com";
        String phone = "+3361299" + String.format("%04d", RANDOM.nextInt(10_000));
        var contact = api.post("/api/contacts", "{\"email\":\"" + email + "\",\"phone\":\"" + phone
                + "\",\"attributes\":{\"audience\":\"trace-" + k + "\"}}");
        assertThat(contact.status()).as(contact.toString()).isEqualTo(201);
        String segment = CampaignApiITSupport.segment(api, "trace-" + k);
        var campaign = api.post("/api/campaigns", "{\"name\":\"Traced " + k + "\",\"channel\":\"WEBHOOK\",\"content\":"
                + "{\"url\":\"" + sink.url("/hooks/" + k) + "\",\"payload\":\"{\\\"email\\\":\\\"{{ email }}\\\"}\"},"
                + "\"segmentId\":\"" + segment + "\"}");
        assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
        String id = campaign.json().get("id").asText();

        String traceId = hex(16);
        String callerSpan = hex(8);
        var launched = api.send("POST", "/api/campaigns/" + id + "/launch", null, "application/json",
                                Map.of("traceparent", "00-" + traceId + "-" + callerSpan + "-01"));
        assertThat(launched.status()).as(launched.toString()).isEqualTo(200);

        // the webhook carries the request's trace
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received.stream()
                .anyMatch(r -> r.path().equals("/hooks/" + k)));
        WebhookSink.Received hook = sink.received.stream().filter(r -> r.path().equals("/hooks/" + k)).findFirst()
                .orElseThrow();
        assertThat(hook.traceparent()).as("the webhook's traceparent").isNotNull().startsWith("00-" + traceId + "-");
        String hookParent = hook.traceparent().substring(36, 52);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "COMPLETED".equals(api.get("/api/campaigns/" + id).json().get("status").asText()));

        // the tree, as the receiver got it: request → command → saga (the launch event) → batch → webhook call
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, ReceivedSpan> spans = receiver.byId(traceId);
            ReceivedSpan request = only(spans, s -> s.kind().equals("SPAN_KIND_SERVER")
                    && s.parentSpanId().equals(callerSpan));
            assertThat(request.service()).isEqualTo("herald");
            ReceivedSpan command = only(spans, s -> s.name().equals("command LaunchCampaignCommand"));
            assertThat(ancestry(spans, command)).as("the command's ancestry").contains(request.spanId());
            ReceivedSpan saga = only(spans, s -> s.name().equals("campaign-send CampaignLaunchedEvent"));
            assertThat(saga.kind()).isEqualTo("SPAN_KIND_CONSUMER");
            assertThat(ancestry(spans, saga)).as("the saga's ancestry").contains(command.spanId(), request.spanId());
            ReceivedSpan batch = only(spans, s -> s.name().equals("delivery batch webhook"));
            assertThat(batch.parentSpanId()).as("the batch's parent").isEqualTo(saga.spanId());
            assertThat(batch.attributes()).containsEntry("herald.campaign.id", id)
                    .containsEntry("herald.batch.claimed", "1").containsEntry("herald.batch.sent", "1");
            ReceivedSpan call = spans.get(hookParent);
            assertThat(call).as("the span the webhook names (" + hookParent + ")").isNotNull();
            assertThat(call.name()).isEqualTo("webhook send");
            assertThat(call.kind()).isEqualTo("SPAN_KIND_CLIENT");
            assertThat(call.parentSpanId()).isEqualTo(batch.spanId());
            // what the batch recorded is handled in the same trace (the saga, then the completion)
            ReceivedSpan recorded = only(spans, s -> s.name().equals("campaign-send DeliveryBatchRecordedEvent"));
            assertThat(ancestry(spans, recorded)).contains(batch.spanId());
            assertThat(spans.values()).anyMatch(s -> s.name().equals("command CompleteCampaignCommand")
                    && ancestry(spans, s).contains(batch.spanId()));
        });
        assertNoPersonalData(email, phone);
    }

    @Test
    void trackingAnEvent_putsItsProjectionInTheRequestsTrace() {
        String k = UUID.randomUUID().toString().substring(0, 8);
        String traceId = hex(16);
        String callerSpan = hex(8);
        String email = "tracked-" + k + "@example.com";
        var tracked = api.send("POST", "/api/track", "{\"userId\":\"u-" + k + "\",\"event\":\"Signed Up\","
                + "\"properties\":{\"email\":\"" + email + "\"}}", "application/json",
                               Map.of("traceparent", "00-" + traceId + "-" + callerSpan + "-01"));
        assertThat(tracked.status()).as(tracked.toString()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, ReceivedSpan> spans = receiver.byId(traceId);
            ReceivedSpan request = only(spans, s -> s.kind().equals("SPAN_KIND_SERVER")
                    && s.parentSpanId().equals(callerSpan));
            ReceivedSpan command = only(spans, s -> s.name().equals("command TrackEventsCommand"));
            assertThat(ancestry(spans, command)).contains(request.spanId());
            ReceivedSpan projection = only(spans, s -> s.name().equals("tracked-events EventTrackedEvent"));
            assertThat(projection.attributes()).containsEntry("axon.processing_group", "tracked-events");
            assertThat(ancestry(spans, projection)).contains(command.spanId(), request.spanId());
            // the streaming projection of the contacts (a new contact) continues it too
            assertThat(spans.values()).anyMatch(s -> "audience".equals(s.attributes().get("axon.processing_group"))
                    && ancestry(spans, s).contains(command.spanId()));
        });
        assertNoPersonalData(email);
    }

    /** No e-mail address, number or message body in any span's name or attributes. */
    private static void assertNoPersonalData(String... values) {
        for (ReceivedSpan span : receiver.spans) {
            String text = (span.name() + " " + span.attributes()).toLowerCase();
            for (String value : values) {
                assertThat(text).as("span " + span.name()).doesNotContain(value.toLowerCase());
            }
        }
    }

    private static ReceivedSpan only(Map<String, ReceivedSpan> spans,
                                     java.util.function.Predicate<ReceivedSpan> which) {
        List<ReceivedSpan> found = spans.values().stream().filter(which).toList();
        assertThat(found).as("spans of the trace: " + spans.values().stream().map(ReceivedSpan::name).toList())
                .hasSize(1);
        return found.get(0);
    }

    /** The ids of a span's ancestors within the trace, nearest first. */
    private static List<String> ancestry(Map<String, ReceivedSpan> spans, ReceivedSpan span) {
        List<String> ids = new ArrayList<>();
        ReceivedSpan current = span;
        while (current != null && !current.isRoot() && ids.size() < 100) {
            ids.add(current.parentSpanId());
            current = spans.get(current.parentSpanId());
        }
        return ids;
    }

    private static String hex(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        value[0] |= 1; // never all zeros
        return HexFormat.of().formatHex(value);
    }
}
