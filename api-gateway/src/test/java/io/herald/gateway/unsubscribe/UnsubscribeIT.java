package io.herald.gateway.unsubscribe;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.campaign.Channel;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import io.herald.saga.delivery.UnsubscribeLinks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The unsubscribe link of messages: a confirmation page on GET, the consent change on POST (RFC 8058 one-click). */
class UnsubscribeIT extends IntegrationTest {

    private static final String ONE_CLICK = "List-Unsubscribe=One-Click";
    private static final String FORM = "application/x-www-form-urlencoded";

    @LocalServerPort
    int port;
    @Autowired
    UnsubscribeLinks links;
    @Autowired
    JdbcTemplate jdbc;
    ApiClient admin;
    ApiClient anonymous;

    @BeforeEach
    void setUp() {
        anonymous = new ApiClient(port);
        admin = TestAuth.asAdmin(new ApiClient(port));
    }

    private String newContact() {
        Response created = admin.post("/api/contacts", """
                {"email":"unsub-%s@example.org","consent":{"EMAIL":"SUBSCRIBED","SMS":"SUBSCRIBED"}}"""
                .formatted(UUID.randomUUID().toString().substring(0, 8)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    /** The path of the link (the public URL of tests is http://localhost:0). */
    private String linkPath(String contactId, Channel channel, String campaignId) {
        String url = links.urlFor(contactId, channel, campaignId);
        assertThat(url).contains("/unsubscribe/");
        return URI.create(url).getRawPath();
    }

    private String consent(String contactId, Channel channel) {
        JsonNode consent = admin.get("/api/contacts/" + contactId).json().get("consent");
        return consent == null || !consent.has(channel.name()) ? null : consent.get(channel.name()).get("status").asText();
    }

    private List<JsonNode> consentEvents(String contactId) {
        List<JsonNode> events = new ArrayList<>();
        admin.get("/api/contacts/" + contactId + "/timeline").json().get("entries").forEach(entry -> {
            if (entry.get("type").asText().equals("ContactConsentChanged")) {
                events.add(entry);
            }
        });
        return events;
    }

    private int storedEvents(String contactId) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                                   Integer.class, contactId);
    }

    private Response post(String path, String body) {
        return anonymous.send("POST", path, body, FORM, Map.of());
    }

    @Test
    void get_showsAConfirmationPage_andChangesNothing() {
        String contactId = newContact();
        String path = linkPath(contactId, Channel.EMAIL, UUID.randomUUID().toString());
        int before = storedEvents(contactId);

        Response page = anonymous.send("GET", path, null, null, Map.of("Accept", "text/html"));

        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Cache-Control")).contains("no-store");
        assertThat(page.header("Content-Security-Policy")).contains("form-action 'self'");
        assertThat(page.body()).contains("<form method=\"post\">").contains("e-mail").doesNotContain("<script")
                .doesNotContain(contactId);
        assertThat(storedEvents(contactId)).isEqualTo(before);
        assertThat(consent(contactId, Channel.EMAIL)).isEqualTo("SUBSCRIBED");
    }

    @Test
    void oneClickPost_withoutAuthOrCookies_unsubscribesFromThatChannel_asAnEventInHistory() {
        String contactId = newContact();
        String campaignId = UUID.randomUUID().toString();
        String path = linkPath(contactId, Channel.EMAIL, campaignId);

        Response done = post(path, ONE_CLICK);

        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.header("Content-Type")).startsWith("text/html");
        assertThat(done.body()).contains("You are unsubscribed from e-mail");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(consent(contactId, Channel.EMAIL)).isEqualTo("UNSUBSCRIBED"));
        assertThat(consent(contactId, Channel.SMS)).as("other channels untouched").isEqualTo("SUBSCRIBED");
        JsonNode consentEntry = admin.get("/api/contacts/" + contactId).json().get("consent").get("EMAIL");
        assertThat(consentEntry.get("source").asText()).isEqualTo("one-click");
        assertThat(consentEntry.get("reason").asText()).isEqualTo("unsubscribe link, campaign " + campaignId);

        List<JsonNode> events = consentEvents(contactId);
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("payload").get("channel").asText()).isEqualTo("EMAIL");
        assertThat(last.get("payload").get("consent").get("status").asText()).isEqualTo("UNSUBSCRIBED");
        assertThat(last.get("payload").get("previous").asText()).isEqualTo("SUBSCRIBED");
        assertThat(last.get("actor").asText()).isEqualTo("contact:" + contactId);

        // again (the mail client retries, or the person clicks twice): still 200, no new event
        int before = storedEvents(contactId);
        Response again = post(path, ONE_CLICK);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body()).contains("You are unsubscribed");
        assertThat(storedEvents(contactId)).isEqualTo(before);
    }

    @Test
    void thePagesButton_unsubscribesToo() {
        String contactId = newContact();
        String path = linkPath(contactId, Channel.SMS, null);

        Response done = post(path, "confirm=yes");

        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.body()).contains("You are unsubscribed from text messages");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(consent(contactId, Channel.SMS)).isEqualTo("UNSUBSCRIBED"));
        JsonNode sms = admin.get("/api/contacts/" + contactId).json().get("consent").get("SMS");
        assertThat(sms.get("source").asText()).isEqualTo("unsubscribe-link");
        assertThat(consent(contactId, Channel.EMAIL)).isEqualTo("SUBSCRIBED");
    }

    @Test
    void aTamperedToken_is404_andChangesNothing() {
        String contactId = newContact();
        String path = linkPath(contactId, Channel.EMAIL, UUID.randomUUID().toString());
        int cut = path.length() - 5;
        char changed = path.charAt(cut) == 'A' ? 'B' : 'A';
        String tampered = path.substring(0, cut) + changed + path.substring(cut + 1);
        int before = storedEvents(contactId);

        Response get = anonymous.send("GET", tampered, null, null, Map.of("Accept", "text/html"));
        Response oneClick = post(tampered, ONE_CLICK);
        Response garbage = post("/unsubscribe/not-a-token", ONE_CLICK);

        for (Response response : List.of(get, oneClick, garbage)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.header("Content-Type")).startsWith("text/html");
            assertThat(response.body()).contains("not valid");
        }
        assertThat(storedEvents(contactId)).isEqualTo(before);
        assertThat(consent(contactId, Channel.EMAIL)).isEqualTo("SUBSCRIBED");
    }

    @Test
    void aValidLinkForAContactThatDoesNotExist_is404() {
        String nobody = UUID.randomUUID().toString();

        Response response = post(linkPath(nobody, Channel.EMAIL, null), ONE_CLICK);

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(storedEvents(nobody)).isZero();
    }
}
