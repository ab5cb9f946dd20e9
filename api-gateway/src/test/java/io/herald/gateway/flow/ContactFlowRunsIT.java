package io.herald.gateway.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /api/contacts/{id}/flow-runs}: a contact's runs in every flow, newest first, for the contact page. */
class ContactFlowRunsIT extends IntegrationTest {

    @LocalServerPort
    int port;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
    }

    private String contact() {
        Response created = api.post("/api/contacts", "{\"email\":\"runs-" + UUID.randomUUID().toString().substring(0, 12)
                + "@example.com\"}");
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        return created.json().get("id").asText();
    }

    /** An active flow whose runs wait a day at "hold". */
    private String activeFlow() {
        Response created = api.post("/api/flows", """
                {"name":"Contact runs %s","definition":{"trigger":{"type":"api"},"nodes":[
                  {"type":"entry","id":"start","next":"hold"},{"type":"wait","id":"hold","duration":"P1D","next":"done"},
                  {"type":"exit","id":"done"}]}}""".formatted(UUID.randomUUID()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(api.post("/api/flows/" + id + "/publish", null).status()).isEqualTo(200);
        assertThat(api.post("/api/flows/" + id + "/activate", null).status()).isEqualTo(200);
        return id;
    }

    private void enter(String flowId, String contactId) {
        Response r = api.post("/api/flows/" + flowId + "/entries", "{\"contacts\":[{\"contactId\":\"" + contactId + "\"}]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void aContactsRuns_inEveryFlow_newestFirst_withoutOthersRuns() throws Exception {
        String ada = contact();
        String bob = contact();
        String first = activeFlow();
        String second = activeFlow();
        enter(first, ada);
        Thread.sleep(20); // entered_at orders the page
        enter(second, ada);
        enter(second, bob);

        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/contacts/" + ada + "/flow-runs").json()
                .get("items").findValuesAsText("nodeId").stream().allMatch("hold"::equals));
        JsonNode page = api.get("/api/contacts/" + ada.toUpperCase() + "/flow-runs").json();
        assertThat(page.get("totalItems").asLong()).isEqualTo(2);
        JsonNode items = page.get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("flowId").asText()).isEqualTo(second);
        assertThat(items.get(1).get("flowId").asText()).isEqualTo(first);
        for (JsonNode run : items) {
            assertThat(run.get("contactId").asText()).isEqualTo(ada);
            assertThat(run.get("state").asText()).isEqualTo("WAITING");
            assertThat(run.get("version").asInt()).isEqualTo(1);
            assertThat(run.get("steps")).isEmpty();
        }
        JsonNode paged = api.get("/api/contacts/" + ada + "/flow-runs?page=1&size=1").json();
        assertThat(paged.get("items")).hasSize(1);
        assertThat(paged.get("items").get(0).get("flowId").asText()).isEqualTo(first);
    }

    @Test
    void anUnknownContact_is404_andBadPaging_is400() {
        Response unknown = api.get("/api/contacts/" + UUID.randomUUID() + "/flow-runs");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asText()).isEqualTo("contact.not-found");
        assertThat(api.get("/api/contacts/not-a-uuid/flow-runs").status()).isEqualTo(404);
        String ada = contact();
        assertThat(api.get("/api/contacts/" + ada + "/flow-runs?size=0").status()).isEqualTo(400);
        assertThat(api.get("/api/contacts/" + ada + "/flow-runs?size=101").status()).isEqualTo(400);
        Response none = api.get("/api/contacts/" + ada + "/flow-runs");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("items")).isEmpty();
    }
}
