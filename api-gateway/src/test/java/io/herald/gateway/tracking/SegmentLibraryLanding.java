package io.herald.gateway.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.gateway.support.ApiClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the Segment library tests send (identify with traits, group, track before and after an alias,
 * page, screen), checked where it lands: the contact's profile and attributes, and its timeline.
 */
final class SegmentLibraryLanding {

    private SegmentLibraryLanding() {
    }

    /** The contact of {@code user} with the identify's and the group's traits; returns its id. */
    static String contactLanded(ApiClient api, String user, String name, String city) {
        await().atMost(Duration.ofSeconds(15)).until(
                () -> api.get("/api/contacts?externalId=" + user).json().get("items").size() == 1);
        String contactId = api.get("/api/contacts?externalId=" + user).json().get("items").get(0).get("id").asText();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode contact = api.get("/api/contacts/" + contactId).json();
            assertThat(contact.get("email").asText()).isEqualTo(user + "@example.com");
            JsonNode attributes = contact.get("attributes");
            assertThat(attributes.get("name").asText()).isEqualTo(name);
            assertThat(attributes.get("address.city").asText()).isEqualTo(city);
            assertThat(attributes.get("group.id").asText()).isEqualTo("acme-" + user);
            assertThat(attributes.get("group.name").asText()).isEqualTo("Acme");
            assertThat(attributes.get("group.plan").asText()).isEqualTo("enterprise");
        });
        return contactId;
    }

    /** The contact's timeline: the four tracked calls, all from the Segment API, and the alias's link. */
    static void timelineLanded(ApiClient api, String contactId) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode entries = api.get("/api/contacts/" + contactId + "/timeline").json().get("entries");
            List<String> types = new ArrayList<>();
            List<String> tracked = new ArrayList<>();
            for (JsonNode entry : entries) {
                types.add(entry.get("type").asText());
                if (entry.get("type").asText().equals("EventTracked")) {
                    tracked.add(entry.get("payload").get("event").asText());
                    assertThat(entry.get("payload").get("source").asText()).isEqualTo("segment");
                }
            }
            // the visitor's event before the alias became the contact's too
            assertThat(tracked).containsExactlyInAnyOrder("Viewed Pricing", "Order Completed", "Page Viewed",
                                                          "Screen Viewed");
            assertThat(types).contains("ContactCreated", "ContactAnonymousIdLinked");
        });
    }
}
