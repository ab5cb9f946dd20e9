package io.herald.gateway.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import io.herald.query.tracking.TrackedEventNamesQueryHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/tracking/event-names}: names by prefix (case-insensitive) with their counts and property keys, from
 * the tracked-events read model; bounded (the count stops at its limit) and answered from the index, not by scanning
 * the table.
 */
class TrackedEventNamesIT extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
    }

    private void track(String user, String event, String properties) {
        Response r = api.post("/api/track", """
                {"userId":"%s","event":"%s","properties":%s}""".formatted(user, event, properties));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private static JsonNode named(JsonNode names, String name) {
        for (JsonNode n : names) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        return null;
    }

    @Test
    void names_byPrefixIgnoringCase_withCountsAndThePropertyKeysSeen() {
        String tag = "Zq" + UUID.randomUUID().toString().substring(0, 6);
        String user = "names-" + tag;
        track(user, tag + " Cart Abandoned", "{\"cartId\":\"c-1\",\"total\":12}");
        track(user, tag + " Cart Abandoned", "{\"cartId\":\"c-2\",\"coupon\":\"X\"}");
        track(user, tag + " Order Completed", "{\"cartId\":\"c-1\"}");
        track(user, "Other " + tag, "{}");

        Response all = api.get("/api/tracking/event-names?prefix=" + tag.toLowerCase());
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        JsonNode names = all.json().get("names");
        assertThat(names).hasSize(2);
        JsonNode cart = named(names, tag + " Cart Abandoned");
        assertThat(cart).as(all.toString()).isNotNull();
        assertThat(cart.get("count").asLong()).isEqualTo(2);
        assertThat(cart.get("more").asBoolean()).isFalse();
        assertThat(cart.get("propertyKeys")).extracting(JsonNode::asText).containsExactly("cartId", "coupon", "total");
        assertThat(named(names, tag + " Order Completed").get("propertyKeys")).extracting(JsonNode::asText)
                .containsExactly("cartId");
        // in name order
        assertThat(names.get(0).get("name").asText()).isEqualTo(tag + " Cart Abandoned");

        Response narrowed = api.get("/api/tracking/event-names?prefix=" + tag + "%20ord&limit=5");
        assertThat(narrowed.json().get("names")).hasSize(1);
        assertThat(narrowed.json().get("names").get(0).get("name").asText()).isEqualTo(tag + " Order Completed");
        Response one = api.get("/api/tracking/event-names?prefix=" + tag + "&limit=1");
        assertThat(one.json().get("names")).hasSize(1);
    }

    @Test
    void badParameters_are400_andAnAnalystMayRead() {
        assertThat(api.get("/api/tracking/event-names?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/api/tracking/event-names?limit=101").status()).isEqualTo(400);
        assertThat(api.get("/api/tracking/event-names?prefix=" + "x".repeat(201)).status()).isEqualTo(400);
        Response problem = api.get("/api/tracking/event-names?limit=abc");
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void onALargeTable_theCountStopsAtItsLimit_andThePlanUsesTheIndex_notASequentialScan() {
        String tag = "Zbig" + UUID.randomUUID().toString().substring(0, 6);
        // 60,000 events of 3 names straight into the read model (the tracking API's speed is not the subject here)
        jdbc.update("""
                insert into tracked_event (event_id, contact_id, event, occurred_at, properties)
                select gen_random_uuid(), null, ? || ' ' || (i % 3), now() - make_interval(secs => i),
                       jsonb_build_object('n', i, 'k' || (i % 2), true)
                from generate_series(1, 60000) i""", tag);
        try {
            jdbc.execute("analyze tracked_event");
            Response r = api.get("/api/tracking/event-names?prefix=" + tag.toLowerCase());
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode names = r.json().get("names");
            assertThat(names).hasSize(3);
            for (JsonNode n : names) {
                assertThat(n.get("count").asLong()).isEqualTo(TrackedEventNamesQueryHandler.COUNT_LIMIT);
                assertThat(n.get("more").asBoolean()).isTrue();
            }
            assertThat(names.get(0).get("propertyKeys")).extracting(JsonNode::asText).containsExactly("k0", "k1", "n");

            List<String> plan = new ArrayList<>(jdbc.queryForList("explain " + TrackedEventNamesQueryHandler.SQL,
                                                                  String.class, tag.toLowerCase(), 20));
            assertThat(String.join("\n", plan)).as(String.join("\n", plan))
                    .doesNotContain("Seq Scan on tracked_event", "Bitmap Heap Scan on tracked_event")
                    .contains("tracked_event_event_time_idx");
        } finally {
            jdbc.update("delete from tracked_event where event like ?", tag + " %");
        }
    }
}
