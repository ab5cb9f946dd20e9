package io.herald.gateway.tracing;

import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.delivery.WebhookSink;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Without {@code HERALD_OTLP_ENDPOINT} tracing is off: Spring Boot's tracer is not there, none of Herald's tracing
 * parts is, and a launch (even one whose request carries a {@code traceparent}) sends its webhook without one.
 */
class TracingOffIT {

    @Test
    void withoutAnEndpoint_noTracerNoInterceptorAndNoTraceparentOnWebhooks() throws Exception {
        try (WebhookSink sink = new WebhookSink();
             HeraldInstance herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                                          "herald.delivery.allow-private-targets=true",
                                                          "herald.delivery.worker.poll-interval=100ms")) {
            assertThat(herald.property("management.tracing.enabled")).isEqualTo("false");
            // Spring Boot's tracer is not configured, nor its observation handlers or SDK tracer provider
            assertThat(herald.beans(io.micrometer.tracing.Tracer.class)).isEmpty();
            assertThat(herald.beans(io.micrometer.tracing.handler.TracingObservationHandler.class)).isEmpty();
            assertThat(herald.beans(io.opentelemetry.sdk.trace.SdkTracerProvider.class)).isEmpty();
            assertThat(herald.beans(TracingConfiguration.class)).isEmpty();
            assertThat(herald.beans(TracingConfiguration.HeraldTracer.class)).isEmpty();
            assertThat(herald.beans(TraceCorrelationDataProvider.class)).isEmpty();
            assertThat(herald.beans(io.herald.saga.delivery.DeliveryTracing.class)).isEmpty();

            ApiClient api = TestAuth.asAdmin(herald.api());
            String k = UUID.randomUUID().toString().substring(0, 8);
            assertThat(api.post("/api/contacts", "{\"email\":\"off-" + k + "@example.com\",\"attributes\":"
                    + "{\"audience\":\"off-" + k + "\"}}").status()).isEqualTo(201);
            String segment = CampaignApiITSupport.segment(api, "off-" + k);
            var campaign = api.post("/api/campaigns", "{\"name\":\"Off " + k + "\",\"channel\":\"WEBHOOK\",\"content\":"
                    + "{\"url\":\"" + sink.url("/hooks/" + k) + "\",\"payload\":\"{}\"},\"segmentId\":\"" + segment + "\"}");
            assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
            String id = campaign.json().get("id").asText();
            var launched = api.send("POST", "/api/campaigns/" + id + "/launch", null, "application/json",
                    Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
            assertThat(launched.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.received.stream()
                    .anyMatch(r -> r.path().equals("/hooks/" + k)));
            assertThat(sink.received.stream().filter(r -> r.path().equals("/hooks/" + k)))
                    .allSatisfy(r -> assertThat(r.traceparent()).isNull());
        }
    }
}
