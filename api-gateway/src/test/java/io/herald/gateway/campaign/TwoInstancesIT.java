package io.herald.gateway.campaign;

import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import io.herald.eventstore.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on one database: both serve reads and writes (campaigns are projected in the
 * command's own transaction, so either instance answers a write with the campaign as stored); each
 * segment of a pooled projection ({@code audience}) is owned by one instance at a time (tokens in
 * PostgreSQL), and when one stops the other takes over its segments.
 */
class TwoInstancesIT {

    @Test
    void twoInstances_shareOneEventStore_ownEachSegmentOnce_andFailOver() {
        String database = TestDatabases.newDatabase();
        try (HeraldInstance a = HeraldInstance.start(database);
             HeraldInstance b = HeraldInstance.start(database)) {
            ApiClient apiA = TestAuth.asAdmin(a.api());
            // a token issued by A is valid on B: both sign with the key kept in the shared database
            ApiClient apiB = b.api().withHeader("Authorization", apiA.defaultHeader("Authorization"));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ApiClient api = i % 2 == 0 ? apiA : apiB;
                var created = api.post("/api/campaigns", CampaignApiIT.EMAIL_BODY);
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                ids.add(created.header("Location").substring("/api/campaigns/".length()));
            }
            for (String id : ids) {
                assertThat(apiA.get("/api/campaigns/" + id).status()).isEqualTo(200);
                assertThat(apiB.get("/api/campaigns/" + id).status()).isEqualTo(200);
            }
            List<String> contacts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ApiClient api = i % 2 == 0 ? apiA : apiB;
                var created = api.post("/api/contacts", "{\"email\":\"two-" + i + "@example.com\"}");
                assertThat(created.status()).as(created.toString()).isIn(201, 202);
                contacts.add(created.header("Location"));
            }
            for (String location : contacts) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(apiA.get(location).status()).isEqualTo(200);
                    assertThat(apiB.get(location).status()).isEqualTo(200);
                });
            }
            JdbcTemplate jdbc = a.bean(JdbcTemplate.class);
            // the coordinators claim segments in rounds (Axon's token claim interval): wait until every one is owned
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<Map<String, Object>> tokens = jdbc.queryForList(
                        "select segment, owner from token_entry where processor_name = 'audience'");
                assertThat(tokens).hasSize(2);
                assertThat(tokens).allSatisfy(t -> assertThat(t.get("owner")).isNotNull());
            });
            // one row per campaign, at version 0
            assertThat(jdbc.queryForObject("select count(*) from campaign_summary where version = 0", Integer.class))
                    .isEqualTo(10);

            // stop instance A: B must own every segment and keep projecting
            a.close();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                var created = apiB.post("/api/contacts", "{\"email\":\"after-" + UUID.randomUUID() + "@example.com\"}");
                assertThat(created.status()).isEqualTo(201);
            });
            JdbcTemplate jdbcB = b.bean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbcB.queryForList(
                    "select distinct owner from token_entry where processor_name = 'audience'"))
                    .hasSize(1)
                    .allSatisfy(row -> assertThat(row.get("owner")).isNotNull()));
            assertThat(apiB.post("/api/campaigns", CampaignApiIT.EMAIL_BODY).status()).isEqualTo(201);
            assertThat(jdbcB.queryForObject("select count(*) from campaign_summary", Integer.class)).isEqualTo(11);
        }
    }
}
