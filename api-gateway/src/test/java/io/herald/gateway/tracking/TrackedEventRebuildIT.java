package io.herald.gateway.tracking;

import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import io.herald.eventstore.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tracked-events read model is written with the request (a subscribing processor), and it can
 * still be rebuilt from history the way the README says: the group run once as a pooled processor.
 */
class TrackedEventRebuildIT {

    private static final String SNAPSHOT = "select event_id::text || '|' || coalesce(contact_id::text, '-') || '|' "
            + "|| coalesce(anonymous_id, '-') || '|' || event || '|' || properties::text from tracked_event "
            + "order by event_id";

    @Test
    void trackedEventsAreQueryableWhenAnswered_andTheTableIsRebuiltFromHistoryInPooledMode() {
        String database = TestDatabases.newDatabase();
        String visitor = "v-" + UUID.randomUUID();
        String user = "u-" + UUID.randomUUID();
        List<String> before;
        try (HeraldInstance herald = HeraldInstance.start(database)) {
            ApiClient api = TestAuth.asAdmin(herald.api());
            JdbcTemplate jdbc = new JdbcTemplate(herald.bean(DataSource.class));
            StringBuilder batch = new StringBuilder("{\"batch\":[");
            for (int i = 0; i < 30; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"userId\":\"").append(user).append("-").append(i % 3)
                        .append("\",\"event\":\"Purchased\",\"properties\":{\"n\":").append(i).append("}}");
            }
            assertThat(api.post("/api/track/batch", batch.append("]}").toString()).status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                // in the read model as soon as the request is answered: no waiting
                var tracked = api.post("/api/track", "{\"anonymousId\":\"" + visitor + "\",\"event\":\"Browsed\"}");
                assertThat(tracked.status()).as(tracked.toString()).isEqualTo(200);
                assertThat(jdbc.queryForObject("select count(*) from tracked_event where anonymous_id = ?", Long.class,
                                               visitor)).isEqualTo(i + 1);
            }
            var identify = api.post("/api/identify", "{\"userId\":\"" + user + "\",\"anonymousId\":\"" + visitor + "\"}");
            assertThat(identify.status()).as(identify.toString()).isEqualTo(200);
            String contactId = identify.json().get("contactId").asText();
            assertThat(jdbc.queryForObject("select count(*) from tracked_event where anonymous_id = ? and contact_id = ?::uuid",
                                           Long.class, visitor, contactId)).isEqualTo(3);
            before = jdbc.queryForList(SNAPSHOT, String.class);
            assertThat(before).hasSize(33);
            jdbc.update("truncate tracked_event, tracked_anonymous_link");
        }

        try (HeraldInstance rebuilding = HeraldInstance.start(database, "axon.eventhandling.processors.tracked-events.mode=pooled")) {
            JdbcTemplate jdbc = new JdbcTemplate(rebuilding.bean(DataSource.class));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(jdbc.queryForList(SNAPSHOT, String.class)).isEqualTo(before));
            assertThat(jdbc.queryForList("select anonymous_id from tracked_anonymous_link", String.class))
                    .containsExactly(visitor);
        }

        try (HeraldInstance herald = HeraldInstance.start(database)) {
            ApiClient api = TestAuth.asAdmin(herald.api());
            JdbcTemplate jdbc = new JdbcTemplate(herald.bean(DataSource.class));
            var later = api.post("/api/track", "{\"anonymousId\":\"" + visitor + "\",\"event\":\"Returned\"}");
            assertThat(later.status()).isEqualTo(200);
            assertThat(jdbc.queryForList("select event from tracked_event where anonymous_id = ? and contact_id is not null",
                                         String.class, visitor)).hasSize(4).contains("Returned");
            assertThat(jdbc.queryForObject("select count(*) from tracked_event", Long.class)).isEqualTo(34);
            assertThat(jdbc.queryForObject("select count(*) from tracked_event where contact_id is null", Long.class))
                    .isZero();
        }
    }
}
