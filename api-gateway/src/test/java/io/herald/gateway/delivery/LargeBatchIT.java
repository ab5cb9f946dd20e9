package io.herald.gateway.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A delivery batch larger than one contact lookup statement reads ({@code herald.delivery.worker.batch-size}
 * above 1,000): every recipient is still found and sent, none left "contact-missing".
 */
class LargeBatchIT {

    @Test
    void aBatchOf1500_looksItsContactsUpInParts_andSendsEveryone() throws Exception {
        try (WebhookSink sink = new WebhookSink();
             HeraldInstance herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                                          "herald.delivery.allow-private-targets=true",
                                                          "herald.delivery.worker.batch-size=1500",
                                                          "herald.delivery.worker.senders=1",
                                                          "herald.delivery.worker.poll-interval=100ms")) {
            ApiClient api = TestAuth.asAdmin(herald.api());
            String audience = "large-" + UUID.randomUUID().toString().substring(0, 8);
            // straight into the read model, as an import leaves them (1,200 API calls would only slow the test)
            new JdbcTemplate(herald.bean(DataSource.class)).update(
                    "insert into contact (id, email, attributes, consent, created_at, updated_at, version) "
                            + "select gen_random_uuid(), 'large' || g || '-' || ? || '@example.com', "
                            + "jsonb_build_object('audience', ?::text), '{}'::jsonb, now(), now(), 0 "
                            + "from generate_series(1, 1200) g", audience, audience);
            String segment = CampaignApiITSupport.segment(api, audience);
            var created = api.post("/api/campaigns", "{\"name\":\"Large " + audience + "\",\"channel\":\"WEBHOOK\","
                    + "\"content\":{\"url\":\"" + sink.url("/large/" + audience) + "\",\"payload\":\"{}\"},"
                    + "\"segmentId\":\"" + segment + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String campaign = created.json().get("id").asText();
            assertThat(api.post("/api/campaigns/" + campaign + "/launch", null).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                    "COMPLETED".equals(api.get("/api/campaigns/" + campaign).json().get("status").asText()));
            JsonNode progress = api.get("/api/campaigns/" + campaign + "/progress").json();
            assertThat(progress.get("sent").asLong()).as(progress.toString()).isEqualTo(1200);
            assertThat(progress.get("skipped").asLong()).as(progress.toString()).isZero();
            assertThat(sink.distinctKeys()).isEqualTo(1200);
        }
    }
}
