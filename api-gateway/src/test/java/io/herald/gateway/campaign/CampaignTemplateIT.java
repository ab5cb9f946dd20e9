package io.herald.gateway.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Campaign templates and copies (what n8n's daily workflow uses): the {@code template} flag on create and update, the
 * list filtered by it, and {@code POST /api/campaigns/{id}/duplicate} with both histories.
 */
class CampaignTemplateIT extends IntegrationTest {

    @LocalServerPort
    int port;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
    }

    private String templateBody(String name) {
        return CampaignApiITSupport.emailBody(api).replace("\"name\":\"Winter sale\"", "\"name\":\"" + name + "\"")
                .replace("\"throttlePerSecond\":50", "\"throttlePerSecond\":50,\"template\":true,\"transactional\":true");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private static List<String> types(JsonNode history) {
        List<String> types = new ArrayList<>();
        history.get("events").forEach(event -> types.add(event.get("type").asText()));
        return types;
    }

    @Test
    void template_isSetOnCreateAndUpdate_andTheListFiltersOnIt() {
        Response template = api.post("/api/campaigns", templateBody("Daily digest " + UUID.randomUUID()));
        assertThat(template.status()).as(template.toString()).isEqualTo(201);
        assertThat(template.json().get("template").asBoolean()).isTrue();
        String templateId = template.json().get("id").asText();
        Response plain = api.post("/api/campaigns", CampaignApiITSupport.emailBody(api));
        assertThat(plain.json().get("template").asBoolean()).isFalse();
        String plainId = plain.json().get("id").asText();

        List<String> templates = ids(api.get("/api/campaigns?template=true&size=200").json());
        assertThat(templates).contains(templateId).doesNotContain(plainId);
        List<String> others = ids(api.get("/api/campaigns?template=false&size=200").json());
        assertThat(others).contains(plainId).doesNotContain(templateId);
        assertThat(ids(api.get("/api/campaigns?size=200").json())).contains(plainId, templateId);
        assertThat(ids(api.get("/api/campaigns?template=true&status=RUNNING&size=200").json()))
                .doesNotContain(templateId);

        // an update without the flag unmarks it
        Response unmarked = api.put("/api/campaigns/" + templateId, """
                {"name":"No longer","channel":"EMAIL","content":{"subject":"s","body":"b"}}""");
        assertThat(unmarked.status()).as(unmarked.toString()).isEqualTo(200);
        assertThat(unmarked.json().get("template").asBoolean()).isFalse();
        assertThat(ids(api.get("/api/campaigns?template=true&size=200").json())).doesNotContain(templateId);

        Response bad = api.get("/api/campaigns?template=perhaps");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).contains("application/problem+json");
    }

    @Test
    void duplicate_makesANewDraftWithANewId_suffixedName_andHistoryOnBoth() {
        String name = "Daily digest " + UUID.randomUUID();
        Response template = api.post("/api/campaigns", templateBody(name));
        String sourceId = template.json().get("id").asText();
        long sourceVersion = template.json().get("version").asLong();

        Response copy = api.send("POST", "/api/campaigns/" + sourceId + "/duplicate", null, null,
                                 Map.of("X-Correlation-Id", "corr-duplicate"));
        assertThat(copy.status()).as(copy.toString()).isEqualTo(201);
        String copyId = copy.json().get("id").asText();
        assertThat(copyId).isNotEqualTo(sourceId);
        assertThat(copy.header("Location")).isEqualTo("/api/campaigns/" + copyId);
        assertThat(copy.header("ETag")).isEqualTo("\"0\"");
        assertThat(copy.json().get("status").asText()).isEqualTo("DRAFT");
        assertThat(copy.json().get("name").asText()).isEqualTo(name + " (copy)");
        assertThat(copy.json().get("template").asBoolean()).as("a copy is no template").isFalse();
        assertThat(copy.json().get("transactional").asBoolean()).isTrue();
        assertThat(copy.json().get("segmentId")).isEqualTo(template.json().get("segmentId"));
        assertThat(copy.json().get("content")).isEqualTo(template.json().get("content"));
        assertThat(copy.json().get("throttlePerSecond").asInt()).isEqualTo(50);

        Response named = api.post("/api/campaigns/" + sourceId + "/duplicate", "{\"name\":\"  Digest 2026-12-07 \"}");
        assertThat(named.status()).as(named.toString()).isEqualTo(201);
        assertThat(named.json().get("name").asText()).isEqualTo("Digest 2026-12-07");
        String namedId = named.json().get("id").asText();

        JsonNode sourceHistory = api.get("/api/campaigns/" + sourceId + "/history").json();
        assertThat(types(sourceHistory)).containsExactly("CampaignCreated", "CampaignDuplicated", "CampaignDuplicated");
        JsonNode first = sourceHistory.get("events").get(1);
        assertThat(first.get("payload").get("copyId").asText()).isEqualTo(copyId);
        assertThat(first.get("correlationId").asText()).isEqualTo("corr-duplicate");
        assertThat(first.get("actor").asText()).startsWith("user:");
        JsonNode copyHistory = api.get("/api/campaigns/" + copyId + "/history").json();
        assertThat(types(copyHistory)).containsExactly("CampaignCreated");
        assertThat(copyHistory.get("events").get(0).get("payload").get("copiedFrom").asText()).isEqualTo(sourceId);
        assertThat(copyHistory.get("events").get(0).get("correlationId").asText()).isEqualTo("corr-duplicate");

        // the source moved on (its ETag too); the copies are in the list and not templates
        Response source = api.get("/api/campaigns/" + sourceId);
        assertThat(source.json().get("version").asLong()).isEqualTo(sourceVersion + 2);
        assertThat(ids(api.get("/api/campaigns?template=false&size=200").json())).contains(copyId, namedId);
        assertThat(ids(api.get("/api/campaigns?template=true&size=200").json())).doesNotContain(copyId, namedId);

        // a copy can be launched like any draft
        Response launched = api.post("/api/campaigns/" + copyId + "/launch", null);
        assertThat(launched.status()).as(launched.toString()).isEqualTo(200);
        assertThat(launched.json().get("status").asText()).isEqualTo("RUNNING");
    }

    @Test
    void duplicate_ofAnUnknownCampaign_is404_andABadBodyIs400() {
        String unknown = UUID.randomUUID().toString();
        Response missing = api.post("/api/campaigns/" + unknown + "/duplicate", null);
        assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
        assertThat(missing.json().get("code").asText()).isEqualTo("campaign.not-found");
        Response missingNamed = api.post("/api/campaigns/" + unknown + "/duplicate", "{\"name\":\"x\"}");
        assertThat(missingNamed.status()).as(missingNamed.toString()).isEqualTo(404);
        assertThat(missingNamed.json().get("detail").asText()).contains(unknown);

        String source = api.post("/api/campaigns", CampaignApiITSupport.emailBody(api)).json().get("id").asText();
        Response blank = api.post("/api/campaigns/" + source + "/duplicate", "{\"name\":\"   \"}");
        assertThat(blank.status()).as(blank.toString()).isEqualTo(400);
        assertThat(blank.json().get("code").asText()).isEqualTo("validation.failed");
        Response tooLong = api.post("/api/campaigns/" + source + "/duplicate", "{\"name\":\"" + "x".repeat(201) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        Response unknownField = api.post("/api/campaigns/" + source + "/duplicate", "{\"nam\":\"x\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("code").asText()).isEqualTo("request.unknown-field");
    }
}
