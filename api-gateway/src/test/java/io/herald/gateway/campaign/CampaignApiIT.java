package io.herald.gateway.campaign;

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

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CampaignApiIT extends IntegrationTest {

    static final String EMAIL_BODY = CampaignApiITSupport.EMAIL_BODY;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
    }

    private String create() {
        Response created = api.post("/api/campaigns", CampaignApiITSupport.emailBody(api));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private int eventCount(String id) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                                   Integer.class, id);
    }

    private Response command(String id, String action, String correlationId) {
        return api.send("POST", "/api/campaigns/" + id + "/" + action, null, null,
                        Map.of("X-Correlation-Id", correlationId));
    }

    @Test
    void lifecycle_throughEveryStatus_isVisibleAtOnceAndKeptAsHistory() {
        String segment = CampaignApiITSupport.segment(api, "lifecycle");
        Response created = api.send("POST", "/api/campaigns", CampaignApiITSupport.emailBody(api)
                                            .replaceAll("\"segmentId\":\"[^\"]+\"", "\"segmentId\":\"" + segment + "\""),
                                    "application/json", Map.of("X-Correlation-Id", "corr-create"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/campaigns/" + id);
        assertThat(created.header("X-Correlation-Id")).isEqualTo("corr-create");
        assertThat(created.json().get("status").asText()).isEqualTo("DRAFT");
        assertThat(api.get("/api/campaigns/" + id).json().get("name").asText()).isEqualTo("Winter sale");

        Response updated = api.send("PUT", "/api/campaigns/" + id, """
                {"name":"Winter sale v2","channel":"EMAIL","content":{"subject":"Hello","html":"<p>Sale</p>"},"segmentId":"%s"}""".formatted(segment),
                                    "application/json", Map.of("X-Correlation-Id", "corr-update"));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(api.get("/api/campaigns/" + id).json().get("name").asText()).isEqualTo("Winter sale v2");

        String local = LocalDateTime.now(ZoneId.of("America/New_York")).plusDays(2)
                .truncatedTo(ChronoUnit.MINUTES).toString();
        Response scheduled = api.send("POST", "/api/campaigns/" + id + "/schedule",
                                      "{\"sendAt\":\"" + local + "\",\"timeZone\":\"America/New_York\"}",
                                      "application/json", Map.of("X-Correlation-Id", "corr-schedule"));
        assertThat(scheduled.status()).as(scheduled.toString()).isEqualTo(200);
        JsonNode view = api.get("/api/campaigns/" + id).json();
        assertThat(view.get("status").asText()).isEqualTo("SCHEDULED");
        assertThat(view.get("timeZone").asText()).isEqualTo("America/New_York");
        assertThat(view.get("sendAt").asText())
                .isEqualTo(LocalDateTime.parse(local).atZone(ZoneId.of("America/New_York")).toInstant().toString());
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_data is not null "
                                               + "and position(convert_to(?, 'UTF8') in task_data) > 0",
                                       Integer.class, id)).isOne();

        assertThat(command(id, "launch", "corr-launch").status()).isEqualTo(200);
        assertThat(api.get("/api/campaigns/" + id).json().get("status").asText()).isEqualTo("RUNNING");
        assertThat(command(id, "pause", "corr-pause").status()).isEqualTo(200);
        assertThat(api.get("/api/campaigns/" + id).json().get("status").asText()).isEqualTo("PAUSED");
        assertThat(command(id, "resume", "corr-resume").status()).isEqualTo(200);
        assertThat(api.get("/api/campaigns/" + id).json().get("status").asText()).isEqualTo("RUNNING");
        Response cancelled = api.send("POST", "/api/campaigns/" + id + "/cancel", "{\"reason\":\"budget\"}",
                                      "application/json", Map.of("X-Correlation-Id", "corr-cancel"));
        assertThat(cancelled.status()).isEqualTo(200);
        JsonNode finalView = api.get("/api/campaigns/" + id).json();
        assertThat(finalView.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(finalView.get("finishedAt").isTextual()).isTrue();

        JsonNode history = api.get("/api/campaigns/" + id + "/history").json().get("events");
        List<String> types = new ArrayList<>();
        List<String> correlations = new ArrayList<>();
        history.forEach(e -> {
            types.add(e.get("type").asText());
            correlations.add(e.get("correlationId").asText());
            assertThat(e.get("actor").asText()).startsWith("user:");
            assertThat(e.get("timestamp").asText()).isNotBlank();
        });
        assertThat(types).containsExactly("CampaignCreated", "CampaignUpdated", "CampaignScheduled",
                                          "CampaignLaunched", "CampaignPaused", "CampaignResumed", "CampaignCancelled");
        assertThat(correlations).containsExactly("corr-create", "corr-update", "corr-schedule", "corr-launch",
                                                 "corr-pause", "corr-resume", "corr-cancel");
        assertThat(history.get(6).get("payload").get("reason").asText()).isEqualTo("budget");
        assertThat(history.get(6).get("payload").get("previousStatus").asText()).isEqualTo("RUNNING");
        assertThat(history.get(3).get("payload").get("trigger").asText()).isEqualTo("MANUAL");
        assertThat(history.get(0).get("sequence").asLong()).isZero();
        // the launch cancelled the persistent deadline
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_data is not null "
                                               + "and position(convert_to(?, 'UTF8') in task_data) > 0",
                                       Integer.class, id)).isZero();
    }

    @Test
    void readYourWrites_everyCommandResponseAndTheNextGetShowTheChange() {
        for (int i = 0; i < 15; i++) {
            String id = create();
            assertThat(api.get("/api/campaigns/" + id).status()).isEqualTo(200);
            Response launched = api.post("/api/campaigns/" + id + "/launch", null);
            assertThat(launched.json().get("status").asText()).isEqualTo("RUNNING");
            assertThat(api.get("/api/campaigns/" + id).json().get("status").asText()).isEqualTo("RUNNING");
            assertThat(api.get("/api/campaigns/" + id).header("Content-Type")).startsWith("application/json");
        }
    }

    @Test
    void illegalTransitions_are409WithCodeAndCurrentStatus_andWriteNoEvent() {
        String id = create();
        for (String action : List.of("pause", "resume")) {
            Response refused = api.post("/api/campaigns/" + id + "/" + action, null);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("code").asText()).isEqualTo("campaign.illegal-transition");
            assertThat(refused.json().get("currentStatus").asText()).isEqualTo("DRAFT");
        }
        api.post("/api/campaigns/" + id + "/cancel", null);
        int events = eventCount(id);
        for (String action : List.of("launch", "pause", "resume", "cancel")) {
            Response refused = api.post("/api/campaigns/" + id + "/" + action, null);
            assertThat(refused.status()).as(action).isEqualTo(409);
            assertThat(refused.json().get("currentStatus").asText()).isEqualTo("CANCELLED");
        }
        Response edit = api.put("/api/campaigns/" + id, EMAIL_BODY);
        assertThat(edit.status()).isEqualTo(409);
        Response schedule = api.post("/api/campaigns/" + id + "/schedule",
                                     "{\"sendAt\":\"2099-01-01T00:00\",\"timeZone\":\"UTC\"}");
        assertThat(schedule.status()).isEqualTo(409);
        assertThat(eventCount(id)).isEqualTo(events);
    }

    @Test
    void invalidInput_is400ProblemNamingTheField_andWritesNothing() {
        String id = create();
        int events = eventCount(id);
        record Case(String method, String path, String body, String field, String code) {
        }
        String campaigns = "/api/campaigns";
        String schedule = campaigns + "/" + id + "/schedule";
        String future = ZonedDateTime.now(ZoneId.of("UTC")).plusDays(2).toLocalDateTime().toString();
        List<Case> cases = List.of(
                new Case("POST", campaigns, "{\"channel\":\"EMAIL\",\"content\":{\"subject\":\"s\",\"body\":\"b\"}}",
                         "name", "validation.failed"),
                new Case("POST", campaigns, "{\"name\":\"" + "x".repeat(201)
                        + "\",\"channel\":\"EMAIL\",\"content\":{\"subject\":\"s\",\"body\":\"b\"}}", "name",
                         "validation.failed"),
                new Case("POST", campaigns, "{\"name\":\"n\",\"channel\":\"EMAIL\",\"content\":{\"body\":\"b\"}}",
                         "content.subject", "campaign.content.missing"),
                new Case("POST", campaigns, "{\"name\":\"n\",\"channel\":\"WEBHOOK\",\"content\":{\"url\":\"nope\"}}",
                         "content.url", "campaign.content.url-invalid"),
                new Case("POST", campaigns, "{\"name\":\"n\",\"channel\":\"SMS\",\"content\":{}}",
                         "content.body", "campaign.content.missing"),
                new Case("POST", campaigns, "{\"name\":\"n\",\"channel\":\"FAX\",\"content\":{}}",
                         "channel", "request.invalid-value"),
                new Case("POST", campaigns, "{\"name\":\"n\",\"channel\":\"SMS\",\"content\":{\"body\":\"b\"},\"extra\":1}",
                         "extra", "request.unknown-field"),
                new Case("POST", campaigns, "{\"name\":\"n\",\"channel\":\"SMS\",\"content\":{\"body\":\"b\",\"color\":1}}",
                         "content.color", "request.unknown-field"),
                new Case("POST", campaigns, "{\"name\":\"n\",\"channel\":\"SMS\",\"content\":{\"body\":\"b\"}} trailing",
                         null, "request.malformed-json"),
                new Case("POST", campaigns, "{\"name\":\"n\",", null, "request.malformed-json"),
                new Case("POST", campaigns, "[1,2]", null, "request.invalid-value"),
                new Case("POST", campaigns, "{\"name\":\"n\",\"channel\":\"SMS\",\"content\":{\"body\":\"b\"},\"throttlePerSecond\":0}",
                         "throttlePerSecond", "validation.failed"),
                new Case("POST", campaigns, "{\"id\":\"not-a-uuid\",\"name\":\"n\",\"channel\":\"SMS\",\"content\":{\"body\":\"b\"}}",
                         "id", "validation.failed"),
                new Case("POST", schedule, "{\"sendAt\":\"2020-01-01T10:00\",\"timeZone\":\"Europe/Paris\"}",
                         "sendAt", "campaign.schedule.in-past"),
                new Case("POST", schedule, "{\"sendAt\":\"" + ZonedDateTime.now().plusYears(2).toLocalDateTime()
                        + "\",\"timeZone\":\"UTC\"}", "sendAt", "campaign.schedule.too-far"),
                new Case("POST", schedule, "{\"sendAt\":\"" + future + "\",\"timeZone\":\"Mars/Olympus\"}",
                         "timeZone", "campaign.schedule.invalid-time-zone"),
                new Case("POST", schedule, "{\"sendAt\":\"tomorrow\",\"timeZone\":\"UTC\"}",
                         "sendAt", "campaign.schedule.invalid-send-at"),
                new Case("POST", schedule, "{\"timeZone\":\"UTC\"}", "sendAt", "validation.failed"),
                new Case("PUT", campaigns + "/" + id, "{\"name\":\"n\",\"channel\":\"EMAIL\",\"content\":{\"subject\":\"s\"}}",
                         "content.body", "campaign.content.missing"));
        for (Case c : cases) {
            Response response = api.send(c.method(), c.path(), c.body(), "application/json", Map.of());
            assertThat(response.status()).as(c + " -> " + response).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            JsonNode problem = response.json();
            assertThat(problem.get("code").asText()).as(c.toString()).isEqualTo(c.code());
            assertThat(problem.get("type").asText()).isEqualTo("urn:herald:problem:" + c.code());
            assertThat(problem.get("correlationId").asText()).isNotBlank();
            if (c.field() != null) {
                assertThat(problem.get("errors").findValuesAsText("field")).as(c.toString()).contains(c.field());
            }
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.herald");
        }
        assertThat(eventCount(id)).isEqualTo(events);
    }

    @Test
    void unknownIds_are404Problems() {
        String unknown = UUID.randomUUID().toString();
        for (Response response : List.of(api.get("/api/campaigns/" + unknown),
                                          api.get("/api/campaigns/" + unknown + "/history"),
                                          api.post("/api/campaigns/" + unknown + "/launch", null),
                                          api.post("/api/campaigns/" + unknown + "/pause", null),
                                          api.post("/api/campaigns/" + unknown + "/cancel", null),
                                          api.put("/api/campaigns/" + unknown, EMAIL_BODY))) {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.json().get("code").asText()).isEqualTo("campaign.not-found");
        }
        assertThat(eventCount(unknown)).isZero();
    }

    @Test
    void otherHttpErrors_areProblemsToo() {
        Response wrongType = api.send("POST", "/api/campaigns", "name=x", "text/plain", Map.of());
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.header("Content-Type")).startsWith("application/problem+json");
        Response wrongMethod = api.send("DELETE", "/api/campaigns/" + UUID.randomUUID(), null, null, Map.of());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().get("code").asText()).isEqualTo("http.405");
        // deny by default: a path under /api without a rule is refused, whoever asks
        Response noRoute = api.get("/api/does-not-exist");
        assertThat(noRoute.status()).isEqualTo(403);
        assertThat(noRoute.json().get("code").asText()).isEqualTo("auth.forbidden");
        Response notApi = api.get("/nothing-here");
        assertThat(notApi.status()).isEqualTo(404);
        assertThat(notApi.header("Content-Type")).startsWith("application/problem+json");
        Response badStatus = api.get("/api/campaigns?status=SOMETIMES");
        assertThat(badStatus.status()).isEqualTo(400);
        Response badSize = api.get("/api/campaigns?size=5000");
        assertThat(badSize.status()).isEqualTo(400);
        Response badPage = api.get("/api/campaigns?page=-1");
        assertThat(badPage.status()).isEqualTo(400);
    }

    @Test
    void createWithClientId_isIdempotentForTheSameDefinition_andConflictsOtherwise() {
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":\"" + id + "\"," + EMAIL_BODY.substring(1);
        assertThat(api.post("/api/campaigns", body).status()).isEqualTo(201);
        Response retried = api.post("/api/campaigns", body);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.json().get("id").asText()).isEqualTo(id);
        assertThat(eventCount(id)).isEqualTo(1);
        Response other = api.post("/api/campaigns", "{\"id\":\"" + id
                + "\",\"name\":\"Other\",\"channel\":\"SMS\",\"content\":{\"body\":\"x\"}}");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().get("code").asText()).isEqualTo("campaign.already-exists");
        assertThat(eventCount(id)).isEqualTo(1);
    }

    @Test
    void list_filtersByStatus_sortsByLastChange_andPages() {
        String draft = create();
        String running = create();
        api.post("/api/campaigns/" + running + "/launch", null);
        String touchedLast = create();

        JsonNode all = api.get("/api/campaigns?size=200").json();
        assertThat(all.get("totalItems").asLong()).isGreaterThanOrEqualTo(3);
        List<String> order = all.get("items").findValuesAsText("id");
        assertThat(order.indexOf(touchedLast)).isLessThan(order.indexOf(running));
        List<String> updated = all.get("items").findValuesAsText("updatedAt");
        // as instants: ISO text leaves out a zero fraction ("…41Z" is later than "…40.9Z" but sorts before it)
        assertThat(updated.stream().map(java.time.Instant::parse).toList())
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());

        JsonNode runningOnly = api.get("/api/campaigns?status=RUNNING&size=200").json();
        assertThat(runningOnly.get("items").findValuesAsText("status")).containsOnly("RUNNING");
        assertThat(runningOnly.get("items").findValuesAsText("id")).contains(running).doesNotContain(draft);

        JsonNode two = api.get("/api/campaigns?status=DRAFT&status=RUNNING&size=1&page=1").json();
        assertThat(two.get("items").size()).isEqualTo(1);
        assertThat(two.get("page").asInt()).isEqualTo(1);
        assertThat(two.get("size").asInt()).isEqualTo(1);
    }

    @Test
    void health_reportsDatabaseAndEventProcessors() {
        Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        JsonNode components = health.json().get("components");
        assertThat(components.get("db").get("status").asText()).isEqualTo("UP");
        JsonNode processors = components.get("eventProcessors");
        assertThat(processors.get("status").asText()).isEqualTo("UP");
        assertThat(processors.get("details").get("campaign-summary").get("running").asBoolean()).isTrue();
    }

    @Test
    void openApi_describesTheCampaignEndpoints() {
        JsonNode paths = api.get("/v3/api-docs").json().get("paths");
        assertThat(paths.has("/api/campaigns")).isTrue();
        assertThat(paths.has("/api/campaigns/{id}")).isTrue();
        assertThat(paths.has("/api/campaigns/{id}/history")).isTrue();
        for (String action : List.of("schedule", "launch", "pause", "resume", "cancel", "duplicate")) {
            assertThat(paths.has("/api/campaigns/{id}/" + action)).as(action).isTrue();
        }
    }

    @Test
    void ifMatch_staleEtagIs412AndWritesNothing_currentOrStarIsApplied() {
        Response created = api.post("/api/campaigns", EMAIL_BODY);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        String first = created.header("ETag");
        assertThat(first).isEqualTo("\"0\"");
        String edited = EMAIL_BODY.replace("Winter sale", "Spring sale");

        Response current = api.send("PUT", "/api/campaigns/" + id, edited, "application/json", Map.of("If-Match", first));
        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        assertThat(current.json().get("name").asText()).isEqualTo("Spring sale");
        String second = current.header("ETag");
        assertThat(second).isEqualTo("\"1\"");
        int events = eventCount(id);

        for (String stale : List.of(first, "\"7\"", "W/\"1\"", "\"abc\"")) {
            Response refused = api.send("PUT", "/api/campaigns/" + id, edited.replace("Spring sale", "Autumn sale"),
                                        "application/json", Map.of("If-Match", stale));
            assertThat(refused.status()).as(stale + " -> " + refused).isEqualTo(412);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("code").asText()).isEqualTo("precondition.failed");
        }
        Response staleAction = api.send("POST", "/api/campaigns/" + id + "/cancel", null, null,
                                        Map.of("If-Match", first));
        assertThat(staleAction.status()).as(staleAction.toString()).isEqualTo(412);
        assertThat(staleAction.json().get("currentETag").asText()).isEqualTo(second);
        assertThat(eventCount(id)).isEqualTo(events);
        JsonNode history = api.get("/api/campaigns/" + id + "/history").json().get("events");
        assertThat(history.size()).isEqualTo(2);
        assertThat(api.get("/api/campaigns/" + id).json().get("name").asText()).isEqualTo("Spring sale");

        Response star = api.send("PUT", "/api/campaigns/" + id, edited.replace("Spring sale", "Summer sale"),
                                 "application/json", Map.of("If-Match", "*"));
        assertThat(star.status()).as(star.toString()).isEqualTo(200);
        assertThat(star.header("ETag")).isEqualTo("\"2\"");
        Response none = api.post("/api/campaigns/" + id + "/cancel", null);
        assertThat(none.status()).as(none.toString()).isEqualTo(200);
        assertThat(none.json().get("status").asText()).isEqualTo("CANCELLED");
    }
}
