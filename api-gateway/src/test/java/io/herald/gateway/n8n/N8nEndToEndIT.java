package io.herald.gateway.n8n;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.delivery.WebhookSink;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldProcesses;
import io.herald.gateway.support.Mailbox;
import io.herald.gateway.support.TestAuth;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Herald and a real n8n, both ways (issue 17, "Tested against a real n8n"): Herald from its exec jar, n8n 2.8.4 from
 * the cache {@code .ci/n8n/install.sh} fills, the Herald node package from its {@code npm pack} tarball, GreenMail for
 * n8n's alert e-mail and a local HTTP sink for the campaigns' webhooks.
 * <ol>
 *   <li>a campaign that fails ({@code campaign.failed}) → {@code n8n-workflows/job-failure-alert.json} sends one e-mail,
 *   within 10 s, and no second one for the campaign's {@code delivery.failed};</li>
 *   <li>{@code n8n-workflows/daily-scheduled-campaigns.json} run once → a copy of the template is created and launched,
 *   and its sends reach the sink;</li>
 *   <li>the Herald Trigger node subscribes on activation, receives {@code contact.created} signed, refuses a forged
 *   delivery with 401 (no execution), and unsubscribes on deactivation;</li>
 *   <li>the Herald node tracks an event that Herald stores.</li>
 * </ol>
 * Runs only when {@code HERALD_N8N_HOME} (or {@code -Dherald.n8n.home}) names a complete n8n install and
 * {@code HERALD_N8N_PACKAGE} (or {@code -Dherald.n8n.package}) the node package's tarball: {@code .ci/n8n/e2e.sh} sets
 * both; {@code ./mvnw verify} without them skips it, saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "n8nConfigured", disabledReason = N8nEndToEndIT.SKIPPED)
class N8nEndToEndIT {

    static final String SKIPPED = "n8n end-to-end test skipped: HERALD_N8N_HOME (or -Dherald.n8n.home) names no n8n"
            + " install; .ci/n8n/e2e.sh installs n8n 2.8.4 (cached) and runs this test";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORKFLOWS = Path.of("..", "n8n-workflows");
    private static final String ALERT_TO = "ops@example.com";

    private WebhookSink sink;
    private GreenMail mail;
    private HeraldProcesses heraldProcess;
    private Process herald;
    private int heraldPort;
    private ApiClient api;
    private N8nPeer n8n;
    private String heraldKey;

    private static String setting(String property, String variable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? null : value;
    }

    static boolean n8nConfigured() {
        boolean configured = setting("herald.n8n.home", "HERALD_N8N_HOME") != null;
        if (!configured) {
            System.out.println(SKIPPED); // in the build's log too, not only in the test report
        }
        return configured;
    }

    @BeforeAll
    void start() throws Exception {
        Path n8nHome = Path.of(setting("herald.n8n.home", "HERALD_N8N_HOME"));
        assertThat(n8nHome.resolve(".herald-install-complete")).as("an n8n install completed by .ci/n8n/install.sh")
                .exists();
        String pack = setting("herald.n8n.package", "HERALD_N8N_PACKAGE");
        assertThat(pack).as("HERALD_N8N_PACKAGE: the n8n-nodes-herald tarball (npm pack)").isNotNull();
        Path nodePackage = Path.of(pack);
        assertThat(nodePackage).exists();
        File jar = execJar();

        sink = new WebhookSink();
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        heraldPort = HeraldProcesses.freePort();
        herald = startHerald(jar, TestDatabases.newDatabase(), heraldPort);
        api = TestAuth.asAdmin(new ApiClient(heraldPort));
        heraldKey = TestAuth.apiKey(api, "read", "events:write", "contacts:write", "campaigns:write",
                                    "campaigns:launch", "flows:enter", "webhooks:write");

        Path work = Files.createDirectories(Path.of("target", "n8n-e2e", String.valueOf(System.currentTimeMillis())));
        n8n = N8nPeer.start(n8nHome, nodePackage, work, HeraldProcesses.freePort(), HeraldProcesses.freePort());
    }

    private static File execJar() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("api-gateway-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/api-gateway-*-exec.jar: run the package phase"))
                    .toFile();
        }
    }

    /** Herald from its exec jar, as deployed, on a database of its own. */
    private Process startHerald(File jar, String database, int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        File log = new File("target/n8n-e2e-herald-" + port + ".log");
        Process process = new ProcessBuilder(java, "-Xmx512m", "-Daxoniq.update-checker.disabled=true",
                                             "-Ddisable-axoniq-console-message=true", "-jar", jar.getAbsolutePath(),
                                             "--herald.database.url=" + database, "--server.port=" + port,
                                             "--management.server.port=0", "--herald.rate-limits.enabled=false",
                                             // n8n and the sink are on loopback
                                             "--herald.delivery.allow-private-targets=true")
                .redirectErrorStream(true).redirectOutput(log).start();
        HttpClient client = HttpClient.newHttpClient();
        await("Herald to start, see " + log).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    assertThat(process.isAlive()).as("Herald died, see " + log).isTrue();
                    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                               .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
        return process;
    }

    @AfterAll
    void stop() {
        if (n8n != null) {
            n8n.close();
        }
        if (herald != null) {
            herald.destroy();
        }
        if (mail != null) {
            mail.stop();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private String heraldUrl() {
        return "http://127.0.0.1:" + heraldPort;
    }

    private static ObjectNode workflowFile(String name) throws Exception {
        return (ObjectNode) JSON.readTree(WORKFLOWS.resolve(name).toFile());
    }

    private static ObjectNode node(JsonNode workflow, String name) {
        for (JsonNode node : workflow.get("nodes")) {
            if (node.get("name").asText().equals(name)) {
                return (ObjectNode) node;
            }
        }
        throw new AssertionError("no node " + name);
    }

    /** Points every credential reference of {@code type} in the workflow at the credential {@code id}. */
    private static void useCredential(JsonNode workflow, String type, String id) {
        for (JsonNode node : workflow.get("nodes")) {
            JsonNode credentials = node.get("credentials");
            if (credentials != null && credentials.has(type)) {
                ((ObjectNode) credentials.get(type)).put("id", id);
            }
        }
    }

    /** A segment of {@code count} new contacts (WEBHOOK channel needs no address); its id. */
    private String audience(String tag, int count) {
        for (int i = 0; i < count; i++) {
            var contact = api.post("/api/contacts", "{\"externalId\":\"" + tag + "-" + i + "\",\"attributes\":"
                    + "{\"audience\":\"" + tag + "\"}}");
            assertThat(contact.status()).as(contact.toString()).isIn(200, 201);
        }
        return CampaignApiITSupport.segment(api, tag);
    }

    private String webhookCampaign(String name, String segment, String url, boolean template) {
        var created = api.post("/api/campaigns", "{\"name\":\"" + name + "\",\"channel\":\"WEBHOOK\",\"segmentId\":\""
                + segment + "\",\"template\":" + template + ",\"content\":{\"url\":\"" + url
                + "\",\"payload\":\"{\\\"to\\\":\\\"{{ externalId }}\\\"}\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private void awaitDone(String campaignId) {
        await("campaign " + campaignId + " sent").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/api/campaigns/" + campaignId + "/progress").json().get("state").asText()
                        .equals("DONE"));
    }

    @Test
    @Order(1)
    void aFailingCampaign_sendsOneAlertEmailThroughN8n_within10Seconds() throws Exception {
        // the subscription n8n-workflows/README.md has one create: n8n's webhook, the failure events, a threshold
        var subscription = api.post("/api/webhooks", JSON.writeValueAsString(Map.of(
                "url", n8n.base() + "/webhook/herald-job-failures",
                "eventTypes", List.of("campaign.failed", "delivery.failed", "import.failed"),
                "description", "n8n job-failure alert", "enabled", true, "campaignFailureRate", 0.5)));
        assertThat(subscription.status()).as(subscription.toString()).isEqualTo(201);
        String subscriptionId = subscription.json().get("id").asText();
        String secret = subscription.json().get("secret").asText();
        assertThat(secret).startsWith("whsec_");

        ObjectNode workflow = workflowFile("job-failure-alert.json");
        useCredential(workflow, "smtp", n8n.credential("Herald alerts SMTP", "smtp", Map.of(
                "user", "", "password", "", "host", "127.0.0.1", "port", mail.getSmtp().getPort(),
                "secure", false, "disableStartTls", true)));
        ObjectNode verify = (ObjectNode) node(workflow, "Verify signature").get("parameters");
        String code = verify.get("jsCode").asText();
        assertThat(code).contains("whsec_PASTE_THE_SECRET_OF_THE_HERALD_SUBSCRIPTION_HERE");
        verify.put("jsCode", code.replace("whsec_PASTE_THE_SECRET_OF_THE_HERALD_SUBSCRIPTION_HERE", secret));
        String alertWorkflow = n8n.workflow(workflow);
        n8n.activate(alertWorkflow);

        // a forged delivery is refused before anything is sent
        long now = System.currentTimeMillis() / 1000;
        String forgedBody = "{\"type\":\"campaign.failed\",\"timestamp\":\"2026-12-07T00:00:00Z\",\"data\":{\"campaignId\":\"forged\"}}";
        var forged = n8n.post(n8n.base() + "/webhook/herald-job-failures", forgedBody, Map.of(
                "webhook-id", "msg_forged", "webhook-timestamp", String.valueOf(now),
                "webhook-signature", sign("whsec_" + Base64.getEncoder().encodeToString(new byte[32]), "msg_forged",
                                          now, forgedBody)));
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);

        // every recipient of this campaign is refused by its receiver (400: failed for good)
        String segment = audience("e2e-fail-" + UUID.randomUUID(), 3);
        String campaign = webhookCampaign("Failing campaign", segment, sink.url("/refusing"), false);
        sink.status = (key, seen) -> key != null && key.startsWith(campaign) ? 400 : 200;
        var launched = api.post("/api/campaigns/" + campaign + "/launch", null);
        assertThat(launched.status()).as(launched.toString()).isEqualTo(200);
        awaitDone(campaign);
        long done = System.nanoTime();

        await("the alert e-mail").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !Mailbox.to(mail, ALERT_TO).isEmpty());
        long tookMillis = (System.nanoTime() - done) / 1_000_000;
        MimeMessage alert = Mailbox.to(mail, ALERT_TO).get(0);
        assertThat(alert.getSubject()).contains("campaign.failed");
        assertThat(((String) alert.getContent())).contains(campaign);
        System.out.printf("n8n e2e: alert e-mail %d ms after the campaign was done%n", tookMillis);

        // delivery.failed for the same campaign comes with its minute's batch: n8n takes it (204) and sends no second
        await("delivery.failed delivered to n8n").atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(1))
                .until(() -> delivered(subscriptionId, "delivery.failed"));
        assertThat(delivered(subscriptionId, "campaign.failed")).isTrue();
        Thread.sleep(2_000);
        assertThat(Mailbox.to(mail, ALERT_TO)).as("one alert per campaign per hour").hasSize(1);
        n8n.deactivate(alertWorkflow);
    }

    private boolean delivered(String subscriptionId, String type) {
        JsonNode page = api.get("/api/webhooks/" + subscriptionId + "/deliveries").json();
        for (JsonNode delivery : page.get("items")) {
            if (delivery.get("eventType").asText().equals(type) && delivery.get("status").asText().equals("SUCCEEDED")) {
                return true;
            }
        }
        return false;
    }

    private static String sign(String secret, String id, long timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(digest);
    }

    @Test
    @Order(2)
    void theDailyWorkflow_runOnce_copiesAndLaunchesTheTemplate_andItsSendsReachTheSink() throws Exception {
        String tag = "e2e-daily-" + UUID.randomUUID();
        String segment = audience(tag, 2);
        String template = webhookCampaign("Daily digest " + tag, segment, sink.url("/daily"), true);

        ObjectNode workflow = workflowFile("daily-scheduled-campaigns.json");
        assertThat(workflow.get("settings").get("timezone").asText()).isEqualTo("Europe/Paris");
        useCredential(workflow, "httpHeaderAuth", n8n.credential("Herald API key", "httpHeaderAuth", Map.of(
                "name", "Authorization", "value", "Bearer " + heraldKey)));
        ArrayNode assignments = (ArrayNode) node(workflow, "Settings").get("parameters").get("assignments")
                .get("assignments");
        assignments.forEach(a -> {
            if (a.get("name").asText().equals("heraldUrl")) {
                ((ObjectNode) a).put("value", heraldUrl());
            }
        });
        String daily = n8n.workflow(workflow);
        String execution = n8n.runOnce(daily, "Every day at 07:00");
        await("the daily workflow's run").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .ignoreExceptions().until(() -> !n8n.execution(execution).path("status").asText().matches("|new|running|waiting"));
        JsonNode run = n8n.execution(execution);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("success");

        String day = LocalDate.now(ZoneId.of("Europe/Paris")).toString();
        List<JsonNode> copies = new ArrayList<>();
        api.get("/api/campaigns?template=false&size=200").json().get("items").forEach(c -> {
            if (c.get("name").asText().equals("Daily digest " + tag + " " + day)) {
                copies.add(c);
            }
        });
        assertThat(copies).as("one copy of the template, named with the day").hasSize(1);
        String copy = copies.get(0).get("id").asText();
        assertThat(copy).isNotEqualTo(template);
        JsonNode history = api.get("/api/campaigns/" + copy + "/history").json().get("events");
        assertThat(history.get(0).get("payload").get("copiedFrom").asText()).isEqualTo(template);
        assertThat(history.get(0).get("actor").asText()).startsWith("api-key:");
        assertThat(history.get(1).get("type").asText()).isEqualTo("CampaignLaunched");
        awaitDone(copy);
        await("the copy's sends at the sink").atMost(Duration.ofSeconds(10)).until(() -> sink.received.stream()
                .filter(r -> r.idempotencyKey() != null && r.idempotencyKey().startsWith(copy + ":")).count() == 2);
        assertThat(sink.received.stream().filter(r -> r.idempotencyKey() != null
                && r.idempotencyKey().startsWith(template + ":"))).as("the template itself is not sent").isEmpty();
        assertThat(api.get("/api/campaigns/" + template).json().get("status").asText()).isEqualTo("DRAFT");
    }

    @Test
    @Order(3)
    void theTriggerNode_subscribesOnActivation_takesSignedContactCreated_refusesForgery_unsubscribes() throws Exception {
        String credential = n8n.credential("Herald", "heraldApi", Map.of("baseUrl", heraldUrl(), "apiKey", heraldKey,
                                                                          "allowedHttpRequestDomains", "all"));
        String webhookId = UUID.randomUUID().toString();
        ObjectNode workflow = (ObjectNode) JSON.readTree("""
                {"name":"Herald trigger e2e","settings":{"executionOrder":"v1"},
                 "nodes":[{"id":"%s","name":"Herald Trigger","type":"n8n-nodes-herald.heraldTrigger","typeVersion":1,
                           "position":[0,0],"webhookId":"%s",
                           "parameters":{"events":["contact.created"],"subscriptionDescription":"n8n e2e trigger"},
                           "credentials":{"heraldApi":{"id":"%s","name":"Herald"}}}],
                 "connections":{}}""".formatted(UUID.randomUUID(), webhookId, credential));
        String triggerWorkflow = n8n.workflow(workflow);
        n8n.activate(triggerWorkflow);

        List<JsonNode> subscriptions = new ArrayList<>();
        api.get("/api/webhooks").json().get("items").forEach(s -> {
            if (s.get("description").asText().equals("n8n e2e trigger")) {
                subscriptions.add(s);
            }
        });
        assertThat(subscriptions).as("the subscription the activation made").hasSize(1);
        String subscriptionId = subscriptions.get(0).get("id").asText();
        String url = subscriptions.get(0).get("url").asText();
        assertThat(url).startsWith(n8n.base() + "/webhook/" + webhookId);
        assertThat(subscriptions.get(0).get("eventTypes").get(0).asText()).isEqualTo("contact.created");

        String email = "trigger-" + UUID.randomUUID() + "@example.com";
        var contact = api.post("/api/contacts", "{\"externalId\":\"" + email + "\",\"email\":\"" + email + "\"}");
        assertThat(contact.status()).as(contact.toString()).isEqualTo(201);
        String contactId = contact.json().get("id").asText();
        await("contact.created through the trigger").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> triggerItems(triggerWorkflow).stream()
                        .anyMatch(item -> item.path("data").path("contactId").asText().equals(contactId)));
        JsonNode item = triggerItems(triggerWorkflow).stream()
                .filter(i -> i.path("data").path("contactId").asText().equals(contactId)).findFirst().orElseThrow();
        assertThat(item.get("type").asText()).isEqualTo("contact.created");
        assertThat(item.get("data").get("email").asText()).isEqualTo(email);
        assertThat(item.get("webhookId").asText()).isNotBlank();
        int executions = n8n.executions(triggerWorkflow).size();

        // forged: a signature by another key, and a true signature too old; both 401, no execution
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"type\":\"contact.created\",\"timestamp\":\"2026-12-07T00:00:00Z\",\"data\":{\"contactId\":\"forged\"}}";
        var forged = n8n.post(url, body, Map.of("webhook-id", "msg_forged", "webhook-timestamp", String.valueOf(now),
                                                "webhook-signature", sign("whsec_" + Base64.getEncoder()
                                                        .encodeToString(UUID.randomUUID().toString().getBytes()),
                                                                          "msg_forged", now, body)));
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
        var unsigned = n8n.post(url, body, Map.of());
        assertThat(unsigned.statusCode()).as(unsigned.body()).isEqualTo(401);
        Thread.sleep(1_000);
        assertThat(n8n.executions(triggerWorkflow)).as("forged deliveries start nothing").hasSize(executions);

        n8n.deactivate(triggerWorkflow);
        assertThat(api.get("/api/webhooks/" + subscriptionId).status()).as("deleted on deactivation").isEqualTo(404);
    }

    /** The items the trigger node emitted, over every execution of the workflow. */
    private List<JsonNode> triggerItems(String workflowId) {
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode execution : n8n.executions(workflowId)) {
            JsonNode runs = execution.path("data").path("resultData").path("runData").path("Herald Trigger");
            for (JsonNode run : runs) {
                for (JsonNode output : run.path("data").path("main")) {
                    output.forEach(i -> items.add(i.get("json")));
                }
            }
        }
        return items;
    }

    @Test
    @Order(4)
    void theHeraldNode_tracksAnEvent_thatHeraldStores() throws Exception {
        String credential = n8n.credential("Herald (tracking)", "heraldApi", Map.of(
                "baseUrl", heraldUrl(), "apiKey", heraldKey, "allowedHttpRequestDomains", "all"));
        String userId = "n8n-user-" + UUID.randomUUID();
        ObjectNode workflow = (ObjectNode) JSON.readTree("""
                {"name":"Herald node e2e","settings":{"executionOrder":"v1"},
                 "nodes":[{"id":"%s","name":"Webhook","type":"n8n-nodes-base.webhook","typeVersion":2.1,
                           "position":[0,0],"webhookId":"%s",
                           "parameters":{"httpMethod":"POST","path":"herald-node-e2e","responseMode":"lastNode","options":{}}},
                          {"id":"%s","name":"Herald","type":"n8n-nodes-herald.herald","typeVersion":1,"position":[220,0],
                           "parameters":{"resource":"event","operation":"track","userId":"={{ $json.body.userId }}",
                                         "event":"n8n Tested","properties":"={{ JSON.stringify({ plan: $json.body.plan }) }}"},
                           "credentials":{"heraldApi":{"id":"%s","name":"Herald (tracking)"}}}],
                 "connections":{"Webhook":{"main":[[{"node":"Herald","type":"main","index":0}]]}}}"""
                .formatted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), credential));
        String tracking = n8n.workflow(workflow);
        n8n.activate(tracking);

        var answered = n8n.post(n8n.base() + "/webhook/herald-node-e2e",
                                "{\"userId\":\"" + userId + "\",\"plan\":\"pro\"}", Map.of());
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        JsonNode tracked = N8nPeer.json(answered);
        assertThat(tracked.get("status").asText()).as(tracked.toString()).isEqualTo("ACCEPTED");
        String contactId = tracked.get("contactId").asText();

        JsonNode timeline = api.get("/api/contacts/" + contactId + "/timeline").json().get("entries");
        List<JsonNode> events = new ArrayList<>();
        timeline.forEach(e -> {
            if (e.path("payload").path("event").asText().equals("n8n Tested")) {
                events.add(e);
            }
        });
        assertThat(events).as("the event in Herald's event store, on the contact " + userId).hasSize(1);
        assertThat(events.get(0).get("payload").get("properties").get("plan").asText()).isEqualTo("pro");
        assertThat(events.get(0).get("actor").asText()).startsWith("api-key:");
        n8n.deactivate(tracking);
    }
}
