package io.herald.gateway.delivery;

import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import io.herald.eventstore.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live updates reach a browser connected to another instance than the one doing the work: A sends
 * (it has the worker), B only serves the API; the progress stream opened on B sees the send to 100 %.
 */
class LiveStreamsTwoInstancesIT {

    @Test
    void progressStreamOnOneInstance_followsASendMadeByAnother() throws Exception {
        String database = TestDatabases.newDatabase();
        try (WebhookSink sink = new WebhookSink();
             HeraldInstance sender = HeraldInstance.start(database, "herald.delivery.allow-private-targets=true",
                                                          "herald.delivery.worker.poll-interval=100ms");
             HeraldInstance apiOnly = HeraldInstance.start(database, "herald.delivery.worker.enabled=false")) {
            ApiClient a = TestAuth.asAdmin(sender.api());
            ApiClient b = TestAuth.asAdmin(apiOnly.api());
            String audience = "live-" + UUID.randomUUID();
            for (int i = 0; i < 20; i++) {
                assertThat(a.post("/api/contacts", "{\"email\":\"l" + UUID.randomUUID().toString().substring(0, 12)
                        + "@example.com\",\"attributes\":{\"audience\":\"" + audience + "\"}}").status()).isIn(200, 201);
            }
            String segment = CampaignApiITSupport.segment(a, audience);
            // the launch freezes the audience from the contact read model: wait until the segment counts all 20
            String rule = "{\"rules\":{\"type\":\"attribute\",\"attribute\":\"audience\",\"operator\":\"eq\","
                    + "\"value\":\"" + audience + "\"}}";
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> a.post("/api/segments/preview", rule).json().get("count").asLong() == 20);
            var created = a.post("/api/campaigns", "{\"name\":\"Live\",\"channel\":\"WEBHOOK\",\"content\":{\"url\":\""
                    + sink.url("/live") + "\"},\"segmentId\":\"" + segment + "\",\"throttlePerSecond\":10}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String campaign = created.json().get("id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> b.get("/api/campaigns/" + campaign).status() == 200);

            List<String> streamed = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> stream = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create(b.base() + "/api/campaigns/" + campaign + "/progress/stream"))
                            .header("Authorization", b.defaultHeader("Authorization"))
                            .header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(response -> response.body().filter(l -> l.startsWith("data:")).forEach(streamed::add));
            await().atMost(Duration.ofSeconds(10)).until(() -> !streamed.isEmpty());

            assertThat(a.post("/api/campaigns/" + campaign + "/launch", null).status()).isEqualTo(200);
            stream.get(60, TimeUnit.SECONDS); // ends when the run is done
            assertThat(streamed.size()).as("updates pushed by instance B").isGreaterThanOrEqualTo(3);
            assertThat(streamed.stream().filter(e -> e.contains("\"state\":\"SENDING\"")).count()).isPositive();
            String last = streamed.get(streamed.size() - 1);
            assertThat(last).as("all updates: %s", streamed).contains("\"state\":\"DONE\"").contains("\"sent\":20").contains("\"percent\":100.0");
            assertThat(sink.distinctKeys()).isEqualTo(20);
        }
    }
}
