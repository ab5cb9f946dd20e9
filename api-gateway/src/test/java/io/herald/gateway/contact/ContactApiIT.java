package io.herald.gateway.contact;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class ContactApiIT extends IntegrationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonNode create(String body) {
        Response created = api.post("/api/contacts", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private int events(String contactId) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                                   Integer.class, contactId);
    }

    @Test
    void upsert_normalisesFields_thenUpdatesTheSameContactByEmailOrExternalId() {
        String externalId = unique("user");
        String email = unique("alice") + "@Example.COM";
        Response created = api.post("/api/contacts", """
                {"externalId":"%s","email":"  %s ","phone":"+33 6 12 34 56 78","timeZone":"Europe/Paris",
                 "locale":"fr_FR","attributes":{"plan":"pro","age":42,"vip":true,
                 "signup":"2024-05-01T10:00:00+02:00","tags":["a","b"]}}""".formatted(externalId, email));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode contact = created.json();
        String id = contact.get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/contacts/" + id);
        assertThat(contact.get("email").asText()).isEqualTo(email.toLowerCase());
        assertThat(contact.get("phone").asText()).isEqualTo("+33612345678");
        assertThat(contact.get("locale").asText()).isEqualTo("fr-FR");
        assertThat(contact.get("timeZone").asText()).isEqualTo("Europe/Paris");
        assertThat(contact.get("attributes").get("signup").asText()).isEqualTo("2024-05-01T08:00:00.000Z");
        assertThat(contact.get("attributes").get("age").asInt()).isEqualTo(42);
        assertThat(contact.get("attributes").get("tags").size()).isEqualTo(2);

        Response byEmail = api.post("/api/contacts", """
                {"email":"%s","attributes":{"plan":"enterprise","vip":null}}""".formatted(email.toUpperCase()));
        assertThat(byEmail.status()).as(byEmail.toString()).isEqualTo(200);
        assertThat(byEmail.json().get("id").asText()).isEqualTo(id);
        assertThat(byEmail.json().get("attributes").get("plan").asText()).isEqualTo("enterprise");
        assertThat(byEmail.json().get("attributes").has("vip")).isFalse();
        assertThat(byEmail.json().get("attributes").get("age").asInt()).isEqualTo(42);

        Response byExternalId = api.post("/api/contacts", """
                {"externalId":"%s","locale":"de"}""".formatted(externalId));
        assertThat(byExternalId.status()).isEqualTo(200);
        assertThat(byExternalId.json().get("id").asText()).isEqualTo(id);
        assertThat(byExternalId.json().get("locale").asText()).isEqualTo("de");

        // the same values again change nothing: no event
        int before = events(id);
        assertThat(api.post("/api/contacts", "{\"externalId\":\"%s\",\"locale\":\"de\"}".formatted(externalId)).status())
                .isEqualTo(200);
        assertThat(events(id)).isEqualTo(before);
        assertThat(api.get("/api/contacts/" + id).json().get("version").asLong()).isEqualTo(before - 1);
    }

    @Test
    void patch_setsAndRemovesFields_andMergesAttributes() {
        JsonNode contact = create("""
                {"email":"%s@example.org","phone":"+14155550100","attributes":{"a":1,"b":"x"}}"""
                                          .formatted(unique("patch")));
        String id = contact.get("id").asText();
        Response patched = api.send("PATCH", "/api/contacts/" + id, """
                {"phone":null,"timeZone":"America/New_York","attributes":{"a":null,"c":[1,2]}}""",
                                    "application/json", Map.of());
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        JsonNode view = patched.json();
        assertThat(view.has("phone")).isFalse();
        assertThat(view.get("timeZone").asText()).isEqualTo("America/New_York");
        assertThat(view.get("attributes").has("a")).isFalse();
        assertThat(view.get("attributes").get("b").asText()).isEqualTo("x");
        assertThat(view.get("attributes").get("c").size()).isEqualTo(2);

        Response noIdentity = api.send("PATCH", "/api/contacts/" + id, "{\"email\":null}", "application/json", Map.of());
        assertThat(noIdentity.status()).isEqualTo(400);
        assertThat(noIdentity.json().get("code").asText()).isEqualTo("contact.identity.missing");

        Response unknown = api.send("PATCH", "/api/contacts/" + id, "{\"nickname\":\"x\"}", "application/json", Map.of());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("code").asText()).isEqualTo("request.unknown-field");

        Response missing = api.send("PATCH", "/api/contacts/" + UUID.randomUUID(), "{\"locale\":\"en\"}",
                                    "application/json", Map.of());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("code").asText()).isEqualTo("contact.not-found");
    }

    @Test
    void badInput_is400WithAStableCodeAndTheField_andWritesNothing() {
        long contactsBefore = jdbc.queryForObject("select count(*) from contact_identity", Long.class);
        Map<String, String[]> cases = Map.of(
                "{\"email\":\"not-an-email\"}", new String[]{"contact.email.invalid", "email"},
                "{\"email\":\"a@b\"}", new String[]{"contact.email.invalid", "email"},
                "{\"email\":\"x@example.com\",\"phone\":\"12\"}", new String[]{"contact.phone.invalid", "phone"},
                "{\"email\":\"x@example.com\",\"timeZone\":\"Mars/Olympus\"}",
                new String[]{"contact.time-zone.invalid", "timeZone"},
                "{\"email\":\"x@example.com\",\"locale\":\"!!\"}", new String[]{"contact.locale.invalid", "locale"},
                "{\"attributes\":{\"a\":1}}", new String[]{"contact.identity.missing", "email"},
                "{\"email\":\"x@example.com\",\"attributes\":{\"nested\":{\"a\":1}}}",
                new String[]{"contact.attributes.invalid", "attributes.nested"},
                "{\"email\":\"x@example.com\",\"color\":\"red\"}", new String[]{"request.unknown-field", "color"},
                "{\"email\":\"x@example.com\",\"consent\":{\"EMAIL\":\"MAYBE\"}}",
                new String[]{"request.invalid-value", "consent.EMAIL"});
        cases.forEach((body, expected) -> {
            Response refused = api.post("/api/contacts", body);
            assertThat(refused.status()).as(body + " -> " + refused).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("code").asText()).as(body).isEqualTo(expected[0]);
            assertThat(refused.json().get("errors").get(0).get("field").asText()).as(body).isEqualTo(expected[1]);
        });
        assertThat(jdbc.queryForObject("select count(*) from contact_identity", Long.class)).isEqualTo(contactsBefore);
    }

    @Test
    void concurrentUpserts_ofOneEmail_makeExactlyOneContact() throws Exception {
        String email = unique("race") + "@example.com";
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                Callable<Response> call = () -> api.post("/api/contacts",
                        "{\"email\":\"%s\",\"attributes\":{\"n%d\":%d}}".formatted(email, n, n));
                answers.add(pool.submit(call));
            }
            int created = 0;
            List<String> ids = new ArrayList<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertThat(response.status()).as(response.toString()).isIn(200, 201, 202);
                if (response.status() == 201) {
                    created++;
                }
                if (response.status() != 202) {
                    ids.add(response.json().get("id").asText());
                }
            }
            assertThat(created).isEqualTo(1);
            assertThat(ids).containsOnly(ids.get(0));
            assertThat(jdbc.queryForObject("select count(*) from contact_identity where email = ?", Long.class, email))
                    .isEqualTo(1);
            JsonNode contact = api.get("/api/contacts/" + ids.get(0)).json();
            assertThat(contact.get("attributes").size()).isEqualTo(12);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void identityConflicts_are409() {
        String emailA = unique("a") + "@example.com";
        String idA = create("{\"email\":\"%s\",\"externalId\":\"%s\"}".formatted(emailA, unique("ext"))).get("id").asText();
        String idB = create("{\"email\":\"%s\"}".formatted(unique("b") + "@example.com")).get("id").asText();

        Response taken = api.send("PATCH", "/api/contacts/" + idB, "{\"email\":\"%s\"}".formatted(emailA),
                                  "application/json", Map.of());
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("code").asText()).isEqualTo("contact.email-taken");

        Response mismatch = api.post("/api/contacts", "{\"email\":\"%s\",\"externalId\":\"%s\"}"
                .formatted(emailA, unique("other")));
        assertThat(mismatch.status()).isEqualTo(409);
        assertThat(mismatch.json().get("code").asText()).isEqualTo("contact.external-id-mismatch");
        assertThat(api.get("/api/contacts/" + idA).json().get("email").asText()).isEqualTo(emailA);
    }

    @Test
    void consent_isRecordedPerChannelWithWhenAndWhy_andShowsInTheTimeline() {
        String id = create("{\"email\":\"%s@example.com\",\"consent\":{\"EMAIL\":\"SUBSCRIBED\"}}"
                                   .formatted(unique("consent"))).get("id").asText();
        Response changed = api.post("/api/contacts/" + id + "/consent",
                                    "{\"channel\":\"EMAIL\",\"status\":\"UNSUBSCRIBED\",\"reason\":\"clicked unsubscribe\"}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        JsonNode consent = changed.json().get("consent").get("EMAIL");
        assertThat(consent.get("status").asText()).isEqualTo("UNSUBSCRIBED");
        assertThat(consent.get("reason").asText()).isEqualTo("clicked unsubscribe");
        assertThat(consent.get("source").asText()).isEqualTo("api");
        assertThat(consent.get("changedAt").asText()).isNotBlank();

        Response bad = api.post("/api/contacts/" + id + "/consent", "{\"channel\":\"EMAIL\",\"status\":\"MAYBE\"}");
        assertThat(bad.status()).isEqualTo(400);

        JsonNode timeline = api.get("/api/contacts/" + id + "/timeline").json().get("entries");
        List<String> types = new ArrayList<>();
        timeline.forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("ContactCreated", "ContactConsentChanged");
        assertThat(timeline.get(1).get("payload").get("previous").asText()).isEqualTo("SUBSCRIBED");
        assertThat(timeline.get(1).get("actor").asText()).startsWith("user:");
        assertThat(timeline.get(0).get("position").asLong()).isLessThan(timeline.get(1).get("position").asLong());
    }

    @Test
    void search_byEmailExternalIdAndAttribute() {
        String tag = unique("plan");
        String externalId = unique("s");
        String email = unique("search") + "@example.net";
        String id = create("{\"email\":\"%s\",\"externalId\":\"%s\",\"attributes\":{\"plan\":\"%s\",\"seats\":5}}"
                                   .formatted(email, externalId, tag)).get("id").asText();
        assertThat(ids(api.get("/api/contacts?email=" + email.toUpperCase()))).containsExactly(id);
        assertThat(ids(api.get("/api/contacts?email=" + email.substring(0, 12)))).containsExactly(id);
        assertThat(ids(api.get("/api/contacts?externalId=" + externalId))).containsExactly(id);
        assertThat(ids(api.get("/api/contacts?attribute=plan&value=" + tag))).containsExactly(id);
        assertThat(ids(api.get("/api/contacts?attribute=seats&value=5&email=" + email))).containsExactly(id);
        assertThat(ids(api.get("/api/contacts?attribute=seats&value=%225%22&email=" + email))).isEmpty();
        Response page = api.get("/api/contacts?size=2");
        assertThat(page.json().get("items").size()).isLessThanOrEqualTo(2);
        assertThat(page.json().get("totalItems").asLong()).isPositive();
        assertThat(api.get("/api/contacts?size=500").status()).isEqualTo(400);
    }

    @Test
    void unknownContact_is404() {
        assertThat(api.get("/api/contacts/" + UUID.randomUUID()).json().get("code").asText())
                .isEqualTo("contact.not-found");
        assertThat(api.get("/api/contacts/not-a-uuid").status()).isEqualTo(404);
        assertThat(api.get("/api/contacts/" + UUID.randomUUID() + "/timeline").status()).isEqualTo(404);
    }

    private static List<String> ids(Response page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    @Test
    void ifMatch_stalePatchIs412AndWritesNothing_currentIsApplied() {
        Response created = api.post("/api/contacts", "{\"email\":\"%s@example.org\",\"attributes\":{\"plan\":\"free\"}}"
                .formatted(unique("match")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        String first = created.header("ETag");

        Response current = api.send("PATCH", "/api/contacts/" + id, "{\"attributes\":{\"plan\":\"pro\"}}",
                                    "application/json", Map.of("If-Match", first));
        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        String second = current.header("ETag");
        assertThat(second).isNotEqualTo(first)
                .isEqualTo("\"" + current.json().get("version").asLong() + "\"");
        int before = events(id);
        int timeline = api.get("/api/contacts/" + id + "/timeline").json().get("entries").size();

        Response stale = api.send("PATCH", "/api/contacts/" + id, "{\"attributes\":{\"plan\":\"team\"}}",
                                  "application/json", Map.of("If-Match", first));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        assertThat(stale.header("Content-Type")).startsWith("application/problem+json");
        assertThat(stale.json().get("code").asText()).isEqualTo("precondition.failed");
        assertThat(stale.json().get("currentETag").asText()).isEqualTo(second);
        Response staleConsent = api.send("POST", "/api/contacts/" + id + "/consent",
                                         "{\"channel\":\"EMAIL\",\"status\":\"UNSUBSCRIBED\"}", "application/json",
                                         Map.of("If-Match", first));
        assertThat(staleConsent.status()).as(staleConsent.toString()).isEqualTo(412);
        assertThat(events(id)).isEqualTo(before);
        assertThat(api.get("/api/contacts/" + id + "/timeline").json().get("entries").size()).isEqualTo(timeline);
        JsonNode view = api.get("/api/contacts/" + id).json();
        assertThat(view.get("attributes").get("plan").asText()).isEqualTo("pro");

        Response star = api.send("PATCH", "/api/contacts/" + id, "{\"attributes\":{\"plan\":\"team\"}}",
                                 "application/json", Map.of("If-Match", "*"));
        assertThat(star.status()).as(star.toString()).isEqualTo(200);
        assertThat(star.json().get("attributes").get("plan").asText()).isEqualTo("team");
    }
}
