package io.herald.gateway.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.contact.Multipart;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scaled-out deployment on one PostgreSQL: two {@code api} and two {@code worker} instances. Writes go to
 * either api instance and read back on the other; a campaign launched through one api instance is sent by
 * the workers, every recipient once; the send saga's segment is owned by a worker, never by an api instance;
 * an import uploaded to an api instance is completed by a worker.
 */
class RolesScaleOutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECIPIENTS = 40;

    @Test
    void twoApisAndTwoWorkers_shareTheWork_andSendEachRecipientOnce() throws Exception {
        String database = TestDatabases.newDatabase();
        try (WebhookSink sink = new WebhookSink();
             HeraldInstance api1 = HeraldInstance.start(database, "herald.role=api");
             HeraldInstance api2 = HeraldInstance.start(database, "herald.role=api");
             HeraldInstance worker1 = HeraldInstance.start(database, "herald.role=worker",
                                                           "herald.delivery.allow-private-targets=true",
                                                           "herald.delivery.worker.poll-interval=100ms",
                                                           "herald.imports.poll-interval=500ms");
             HeraldInstance worker2 = HeraldInstance.start(database, "herald.role=worker",
                                                           "herald.delivery.allow-private-targets=true",
                                                           "herald.delivery.worker.poll-interval=100ms",
                                                           "herald.imports.poll-interval=500ms")) {
            String token = TestAuth.admin(api1.api());
            ApiClient a = TestAuth.asAdmin(api1.api());
            // a token issued by one api instance is valid on the other (one signing key, in the database)
            ApiClient b = api2.api().withHeader("Authorization", a.defaultHeader("Authorization"));

            String audience = "scale-" + UUID.randomUUID();
            for (int i = 0; i < RECIPIENTS; i++) {
                ApiClient api = i % 2 == 0 ? a : b;
                var created = api.post("/api/contacts", "{\"email\":\"s" + i + "-" + UUID.randomUUID().toString().substring(0, 8)
                        + "@example.com\",\"attributes\":{\"audience\":\"" + audience + "\"}}");
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                String location = created.header("Location");
                ApiClient other = api == a ? b : a;
                await().atMost(Duration.ofSeconds(10)).until(() -> other.get(location).status() == 200);
            }
            String segment = CampaignApiITSupport.segment(a, audience);
            String rule = "{\"rules\":{\"type\":\"attribute\",\"attribute\":\"audience\",\"operator\":\"eq\","
                    + "\"value\":\"" + audience + "\"}}";
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> b.post("/api/segments/preview", rule).json().get("count").asLong() == RECIPIENTS);
            var campaign = b.post("/api/campaigns", "{\"name\":\"Scale out\",\"channel\":\"WEBHOOK\",\"content\":{\"url\":\""
                    + sink.url("/scale") + "\"},\"segmentId\":\"" + segment + "\"}");
            assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
            String id = campaign.json().get("id").asText();
            assertThat(b.post("/api/campaigns/" + id + "/launch", "").status()).isEqualTo(200);

            JsonNode[] progress = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                progress[0] = a.get("/api/campaigns/" + id + "/progress").json();
                return "DONE".equals(progress[0].path("state").asText());
            });
            assertThat(progress[0].get("sent").asLong()).as(progress[0].toString()).isEqualTo(RECIPIENTS);
            assertThat(sink.distinctKeys()).isEqualTo(RECIPIENTS);
            assertThat(sink.perKey.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));

            // the send saga's segment: owned by a worker, never by an api instance
            assertThat(sendSaga(api1).processingStatus()).isEmpty();
            assertThat(sendSaga(api2).processingStatus()).isEmpty();
            assertThat(sendSaga(worker1).processingStatus().size() + sendSaga(worker2).processingStatus().size())
                    .isEqualTo(1);

            // an import uploaded to the second api instance, completed by a worker
            StringBuilder csv = new StringBuilder("Email\n");
            for (int i = 0; i < 120; i++) {
                csv.append("scale-import-").append(i).append("@example.com\n");
            }
            HttpResponse<String> started = Multipart.postImport(api2.port(), token,
                                                                csv.toString().getBytes(StandardCharsets.UTF_8),
                                                                "{\"email\":\"Email\"}", "UPSERT");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String importId = JSON.readTree(started.body()).get("id").asText();
            JsonNode[] view = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                view[0] = a.get("/api/contacts/imports/" + importId).json();
                return !"RUNNING".equals(view[0].path("state").asText());
            });
            assertThat(view[0].get("state").asText()).as(view[0].toString()).isEqualTo("COMPLETED");
            assertThat(view[0].get("created").asLong()).isEqualTo(120);
            // workers serve no API
            for (HeraldInstance worker : List.of(worker1, worker2)) {
                assertThat(worker.api().get("/api/campaigns/" + id).status()).isEqualTo(404);
            }
        }
    }

    private static PooledStreamingEventProcessor sendSaga(HeraldInstance instance) {
        return instance.bean(EventProcessingConfiguration.class)
                .eventProcessor("campaign-send", PooledStreamingEventProcessor.class)
                .orElseThrow();
    }
}
