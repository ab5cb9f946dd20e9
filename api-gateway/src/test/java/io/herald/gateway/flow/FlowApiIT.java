package io.herald.gateway.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Flows (definitions) through REST, on the real database: lifecycle, versions, history, If-Match and errors. */
class FlowApiIT extends IntegrationTest {

    /** Cart Abandoned → wait 1 h → wait for Order Completed (same cartId, 23 h) → e-mail → branch → exit. */
    static final String CART = """
            {"trigger":{"type":"event","event":"Cart Abandoned","dedupKey":"cartId"},
             "entry":{"concurrency":"PER_DEDUP_KEY","reEntry":"AFTER_DAYS","reEntryAfterDays":7},
             "timeZone":"Europe/Paris",
             "nodes":[
               {"type":"entry","id":"start","next":"wait-1h"},
               {"type":"wait","id":"wait-1h","duration":"PT1H","next":"order"},
               {"type":"wait_for_event","id":"order","event":"Order Completed","matchKey":"cartId","timeout":"PT23H",
                "next":"done","timeoutNext":"reminder"},
               {"type":"send","id":"reminder","channel":"EMAIL",
                "content":{"subject":"Your cart","body":"Hi {{ first_name }}, cart {{ trigger.cartId }} is waiting"},
                "next":"vip"},
               {"type":"branch","id":"vip","rule":{"type":"attribute","attribute":"plan","operator":"eq","value":"pro"},
                "trueNext":"tag","falseNext":"done"},
               {"type":"update_contact","id":"tag","set":{"reminded":true},"next":"done"},
               {"type":"exit","id":"done"}]}""";

    @LocalServerPort
    int port;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
    }

    private static String body(String name, String definition) {
        return "{\"name\":\"" + name + "\",\"definition\":" + definition + "}";
    }

    private Response send(String method, String path, String body, String ifMatch) {
        return api.send(method, path, body, "application/json", ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
    }

    private String create(String definition) {
        Response created = api.post("/api/flows", body("Cart " + UUID.randomUUID(), definition));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.json().get("code").asText()).as(response.toString()).isEqualTo(code);
    }

    private static void assertInvalid(Response response, String code, String nodeId, String field) {
        assertProblem(response, 422, code);
        JsonNode problem = response.json();
        if (nodeId != null) {
            assertThat(problem.get("nodeId").asText()).as(response.toString()).isEqualTo(nodeId);
        }
        assertThat(problem.get("nodeField").asText()).as(response.toString()).isEqualTo(field);
        assertThat(problem.get("errors").get(0).get("field").asText())
                .isEqualTo(nodeId == null ? "definition." + field : "definition.nodes[" + nodeId + "]." + field);
    }

    @Test
    void lifecycle_createEditPublishActivatePauseResumeStop_withVersionsAndHistory() {
        String name = "Cart " + UUID.randomUUID();
        Response created = api.post("/api/flows", body(name, CART));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("ETag")).isEqualTo("\"0\"");
        assertThat(created.header("Location")).isEqualTo("/api/flows/" + id);
        assertThat(created.json().get("status").asText()).isEqualTo("DRAFT");
        assertThat(created.json().get("latestVersion").asInt()).isZero();
        assertThat(created.json().at("/draft/nodes/2/type").asText()).isEqualTo("wait_for_event");
        assertThat(created.json().at("/draft/trigger/dedupKey").asText()).isEqualTo("cartId");

        Response read = api.get("/api/flows/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"0\"");
        assertThat(read.json().get("name").asText()).isEqualTo(name);

        String edited = CART.replace("\"PT1H\"", "\"PT2H\"");
        Response updated = send("PUT", "/api/flows/" + id + "/draft", body(name, edited), "\"0\"");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.header("ETag")).isEqualTo("\"1\"");
        assertThat(updated.json().at("/draft/nodes/1/duration").asText()).isEqualTo("PT2H");

        Response stale = send("PUT", "/api/flows/" + id + "/draft", body(name, CART), "\"0\"");
        assertProblem(stale, 412, "precondition.failed");
        assertThat(api.get("/api/flows/" + id).json().at("/draft/nodes/1/duration").asText()).isEqualTo("PT2H");

        assertProblem(send("POST", "/api/flows/" + id + "/activate", null, null), 409, "flow.not-published");

        Response published = send("POST", "/api/flows/" + id + "/publish", null, "\"1\"");
        assertThat(published.status()).as(published.toString()).isEqualTo(200);
        assertThat(published.json().get("latestVersion").asInt()).isEqualTo(1);
        assertThat(published.json().get("versions").get(0).get("version").asInt()).isEqualTo(1);
        assertThat(published.json().get("versions").get(0).get("publishedBy").asText()).startsWith("user:");
        assertThat(published.header("ETag")).isEqualTo("\"2\"");

        Response version = api.get("/api/flows/" + id + "/versions/1");
        assertThat(version.status()).as(version.toString()).isEqualTo(200);
        assertThat(version.json().at("/definition/nodes/1/duration").asText()).isEqualTo("PT2H");
        assertThat(version.json().get("version").asInt()).isEqualTo(1);
        assertProblem(send("PUT", "/api/flows/" + id + "/versions/1", body(name, CART), null), 409,
                      "flow.version.immutable");
        assertProblem(api.get("/api/flows/" + id + "/versions/2"), 404, "flow.version.not-found");

        // a new draft does not change version 1
        Response draft2 = send("PUT", "/api/flows/" + id + "/draft", body(name, CART), "\"2\"");
        assertThat(draft2.status()).as(draft2.toString()).isEqualTo(200);
        assertThat(api.get("/api/flows/" + id + "/versions/1").json().at("/definition/nodes/1/duration").asText())
                .isEqualTo("PT2H");

        assertThat(send("POST", "/api/flows/" + id + "/activate", null, null).json().get("status").asText())
                .isEqualTo("ACTIVE");
        assertProblem(send("POST", "/api/flows/" + id + "/resume", null, null), 409, "flow.illegal-transition");
        assertThat(send("POST", "/api/flows/" + id + "/pause", null, null).json().get("status").asText())
                .isEqualTo("PAUSED");
        assertThat(send("POST", "/api/flows/" + id + "/resume", null, null).json().get("status").asText())
                .isEqualTo("ACTIVE");
        Response stopped = send("POST", "/api/flows/" + id + "/stop", null, null);
        assertThat(stopped.json().get("status").asText()).isEqualTo("STOPPED");
        String etag = stopped.header("ETag");

        Response editAfterStop = send("PUT", "/api/flows/" + id + "/draft", body(name, edited), etag);
        assertProblem(editAfterStop, 409, "flow.illegal-transition");
        assertThat(editAfterStop.json().get("currentStatus").asText()).isEqualTo("STOPPED");
        assertProblem(send("POST", "/api/flows/" + id + "/publish", null, null), 409, "flow.illegal-transition");
        assertProblem(send("POST", "/api/flows/" + id + "/resume", null, null), 409, "flow.illegal-transition");
        assertProblem(send("POST", "/api/flows/" + id + "/archive", null, null), 409, "flow.illegal-transition");

        Response history = api.get("/api/flows/" + id + "/history");
        assertThat(history.status()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        history.json().get("events").forEach(e -> {
            types.add(e.get("type").asText());
            assertThat(e.get("actor").asText()).startsWith("user:");
            assertThat(e.get("correlationId").asText()).isNotBlank();
        });
        assertThat(types).containsExactly("FlowCreated", "FlowDraftUpdated", "FlowPublished", "FlowDraftUpdated",
                                          "FlowActivated", "FlowPaused", "FlowResumed", "FlowStopped");
        assertThat(history.json().at("/events/2/payload/version").asInt()).isEqualTo(1);

        Response list = api.get("/api/flows?size=200");
        assertThat(list.status()).isEqualTo(200);
        JsonNode item = null;
        for (JsonNode i : list.json().get("items")) {
            if (i.get("id").asText().equals(id)) {
                item = i;
            }
        }
        assertThat(item).as("flow in the list").isNotNull();
        assertThat(item.get("status").asText()).isEqualTo("STOPPED");
        assertThat(item.get("latestVersion").asInt()).isEqualTo(1);
        assertThat(item.at("/trigger/type").asText()).isEqualTo("event");
    }

    @Test
    void archive_aNeverActivatedDraft() {
        String id = create(CART);
        assertThat(send("POST", "/api/flows/" + id + "/archive", null, null).json().get("status").asText())
                .isEqualTo("ARCHIVED");
        assertProblem(send("POST", "/api/flows/" + id + "/activate", null, null), 409, "flow.illegal-transition");
    }

    @Test
    void create_retriedWithTheSameIdAndBody_answersTheSameFlow() {
        String id = UUID.randomUUID().toString();
        String request = "{\"id\":\"" + id + "\",\"name\":\"Retry\",\"definition\":" + CART + "}";
        assertThat(api.post("/api/flows", request).status()).isEqualTo(201);
        Response again = api.post("/api/flows", request);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("ETag")).isEqualTo("\"0\"");
        assertProblem(api.post("/api/flows", request.replace("Retry", "Other")), 409, "flow.already-exists");
    }

    @Test
    void invalidDefinitions_are422_namingTheNodeAndField() {
        assertInvalid(api.post("/api/flows", body("x", CART.replace("\"falseNext\":\"done\"", "\"falseNext\":\"nowhere\""))),
                      "flow.node.dangling-child", "vip", "falseNext");
        assertInvalid(api.post("/api/flows", body("x", CART.replace(
                              "{\"type\":\"exit\",\"id\":\"done\"}",
                              "{\"type\":\"exit\",\"id\":\"done\"},{\"type\":\"exit\",\"id\":\"orphan\"}"))),
                      "flow.node.unreachable", "orphan", "id");
        assertInvalid(api.post("/api/flows", body("x", CART.replace("\"reminded\":true},\"next\":\"done\"",
                                                                    "\"reminded\":true},\"next\":\"reminder\""))),
                      "flow.graph.loop-without-wait", "tag", "next");
        assertInvalid(api.post("/api/flows", body("x", CART.replace(
                              "{\"type\":\"exit\",\"id\":\"done\"}",
                              "{\"type\":\"exit\",\"id\":\"done\"},{\"type\":\"entry\",\"id\":\"again\",\"next\":\"done\"}"))),
                      "flow.entry.count", "again", "type");
        assertInvalid(api.post("/api/flows", body("x", CART.replace(
                              "{\"type\":\"update_contact\",\"id\":\"tag\",\"set\":{\"reminded\":true},\"next\":\"done\"}",
                              "{\"type\":\"split\",\"id\":\"tag\",\"paths\":[{\"percent\":50,\"next\":\"done\"},"
                                      + "{\"percent\":40,\"next\":\"done\"}]}"))),
                      "flow.split.percent-sum", "tag", "paths");
        assertInvalid(api.post("/api/flows", body("x", CART.replace(
                              "{\"type\":\"attribute\",\"attribute\":\"plan\",\"operator\":\"eq\",\"value\":\"pro\"}",
                              "{\"type\":\"segment\",\"segmentId\":\"" + UUID.randomUUID() + "\"}"))),
                      "flow.segment.unknown", "vip", "rule");
        assertInvalid(api.post("/api/flows", body("x", CART.replace("Hi {{ first_name }}", "Hi {{ first_name"))),
                      "flow.template.invalid", "reminder", "content.body");
        assertInvalid(api.post("/api/flows", body("x", CART.replace("\"PT23H\"", "\"23 hours\""))),
                      "flow.node.invalid", "order", "timeout");
        assertInvalid(api.post("/api/flows", body("x", CART.replace("\"event\":\"Cart Abandoned\",", ""))),
                      "flow.trigger.invalid", null, "trigger.event");

        // a draft edit is checked the same way, and changes nothing
        String id = create(CART);
        assertInvalid(send("PUT", "/api/flows/" + id + "/draft",
                           body("x", CART.replace("\"falseNext\":\"done\"", "\"falseNext\":\"nowhere\"")), "\"0\""),
                      "flow.node.dangling-child", "vip", "falseNext");
        assertThat(api.get("/api/flows/" + id).header("ETag")).isEqualTo("\"0\"");
    }

    @Test
    void aSegmentUsedByAFlow_cannotBeDeleted_untilTheFlowIsStopped() {
        Response segment = api.post("/api/segments", "{\"name\":\"Pros " + UUID.randomUUID()
                + "\",\"rules\":{\"type\":\"attribute\",\"attribute\":\"plan\",\"operator\":\"eq\",\"value\":\"pro\"}}");
        assertThat(segment.status()).as(segment.toString()).isEqualTo(201);
        String segmentId = segment.json().get("id").asText();
        String id = create(CART.replace(
                "{\"type\":\"attribute\",\"attribute\":\"plan\",\"operator\":\"eq\",\"value\":\"pro\"}",
                "{\"type\":\"segment\",\"segmentId\":\"" + segmentId + "\"}"));

        Response refused = send("DELETE", "/api/segments/" + segmentId, null, null);
        assertProblem(refused, 409, "segment.in-use");
        assertThat(refused.json().get("flowIds").toString()).contains(id);

        // the draft no longer uses it, but the published version 1 still does
        assertThat(send("POST", "/api/flows/" + id + "/publish", null, null).status()).isEqualTo(200);
        assertThat(send("PUT", "/api/flows/" + id + "/draft", body("x", CART), null).status()).isEqualTo(200);
        assertProblem(send("DELETE", "/api/segments/" + segmentId, null, null), 409, "segment.in-use");

        assertThat(send("POST", "/api/flows/" + id + "/activate", null, null).status()).isEqualTo(200);
        assertThat(send("POST", "/api/flows/" + id + "/stop", null, null).status()).isEqualTo(200);
        assertThat(send("DELETE", "/api/segments/" + segmentId, null, null).status()).isEqualTo(204);
    }

    @Test
    void malformedRequests_are400() {
        assertProblem(api.post("/api/flows", "{\"name\":\"x\",\"definition\":"), 400, "request.malformed-json");
        assertProblem(api.post("/api/flows", "{\"definition\":" + CART + "}"), 400, "validation.failed");
        Response unknownType = api.post("/api/flows", body("x", CART.replace("\"type\":\"wait\"", "\"type\":\"sleep\"")));
        assertProblem(unknownType, 400, "flow.node.unknown-type");
        assertThat(unknownType.json().get("errors").get(0).get("field").asText()).isEqualTo("definition.nodes[1].type");
        Response unknownField = api.post("/api/flows", body("x", CART.replace("\"duration\":\"PT1H\"", "\"delay\":\"PT1H\"")));
        assertProblem(unknownField, 400, "flow.definition.unknown-field");
        assertThat(unknownField.json().get("errors").get(0).get("field").asText()).isEqualTo("definition.nodes[1].delay");
        Response badRule = api.post("/api/flows", body("x", CART.replace("{\"type\":\"attribute\",", "{\"type\":\"attr\",")));
        assertProblem(badRule, 400, "flow.rule.invalid");
        assertThat(badRule.json().get("errors").get(0).get("field").asText()).isEqualTo("definition.nodes[4].rule.type");
    }

    @Test
    void unknownIds_are404() {
        String unknown = UUID.randomUUID().toString();
        assertProblem(api.get("/api/flows/" + unknown), 404, "flow.not-found");
        assertProblem(api.get("/api/flows/not-a-uuid"), 404, "flow.not-found");
        assertProblem(api.get("/api/flows/" + unknown + "/history"), 404, "flow.not-found");
        assertProblem(api.get("/api/flows/" + unknown + "/versions/1"), 404, "flow.version.not-found");
        assertProblem(send("POST", "/api/flows/" + unknown + "/publish", null, null), 404, "flow.not-found");
        assertProblem(send("PUT", "/api/flows/" + unknown + "/draft", body("x", CART), null), 404, "flow.not-found");
    }

    @Test
    void roles_andApiKeyScopes() {
        String id = create(CART);
        ApiClient anonymous = new ApiClient(port);
        assertThat(anonymous.get("/api/flows/" + id).status()).isEqualTo(401);

        ApiClient analyst = new ApiClient(port).withHeader("Authorization",
                                                           "Bearer " + TestAuth.userWithRole(new ApiClient(port), "ANALYST"));
        assertThat(analyst.get("/api/flows/" + id).status()).isEqualTo(200);
        assertThat(analyst.get("/api/flows/" + id + "/history").status()).isEqualTo(200);
        assertProblem(analyst.post("/api/flows/" + id + "/publish", null), 403, "auth.forbidden");
        assertProblem(analyst.post("/api/flows", body("x", CART)), 403, "auth.forbidden");

        ApiClient marketer = new ApiClient(port).withHeader("Authorization",
                                                            "Bearer " + TestAuth.userWithRole(new ApiClient(port), "MARKETER"));
        assertThat(marketer.post("/api/flows/" + id + "/publish", null).status()).isEqualTo(200);

        ApiClient writer = new ApiClient(port).withHeader("X-API-Key", TestAuth.apiKey(new ApiClient(port), "flows:write"));
        Response byKey = writer.post("/api/flows", body("By key", CART));
        assertThat(byKey.status()).as(byKey.toString()).isEqualTo(201);
        Response history = api.get("/api/flows/" + byKey.json().get("id").asText() + "/history");
        assertThat(history.json().at("/events/0/actor").asText()).startsWith("api-key:");
        assertThat(writer.get("/api/flows").status()).isEqualTo(403);

        ApiClient reader = new ApiClient(port).withHeader("X-API-Key", TestAuth.apiKey(new ApiClient(port), "read"));
        assertThat(reader.get("/api/flows").status()).isEqualTo(200);
        assertProblem(reader.post("/api/flows", body("x", CART)), 403, "auth.forbidden");
    }

    @Test
    void openApi_describesTheFlowEndpoints() {
        Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).as(docs.toString()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        for (String path : List.of("/api/flows", "/api/flows/{id}", "/api/flows/{id}/draft", "/api/flows/{id}/history",
                                   "/api/flows/{id}/versions/{version}")) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        for (String action : List.of("publish", "activate", "pause", "resume", "archive", "stop")) {
            assertThat(paths.has("/api/flows/{id}/" + action)).as(action).isTrue();
        }
        JsonNode schemas = docs.json().at("/components/schemas");
        assertThat(schemas.at("/FlowDefinition/properties/nodes").isMissingNode()).isFalse();
        assertThat(schemas.at("/FlowDefinition/properties/trigger").isMissingNode()).isFalse();
    }

    /** The README's worked example (between its flow-example markers) is accepted as it is written. */
    @Test
    void readmeExample_isAValidFlow() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("<!-- flow-example -->");
        assertThat(start).as("README flow example marker").isPositive();
        int open = readme.indexOf("```json", start) + "```json".length();
        int close = readme.indexOf("```", open);
        String example = readme.substring(open, close).strip();
        Response created = api.post("/api/flows", example);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(send("POST", "/api/flows/" + id + "/publish", null, null).status()).isEqualTo(200);
    }
}
