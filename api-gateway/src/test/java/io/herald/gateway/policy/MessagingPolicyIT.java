package io.herald.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.api.campaign.Channel;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.Mailbox;
import io.herald.gateway.support.TestAuth;
import io.herald.saga.policy.MessagingPolicyGate;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The messaging policy through REST and at send time, on the real database with GreenMail: the API (validation,
 * If-Match, audit), frequency caps for flows and campaigns (and under concurrency: two takes of one contact at the
 * same moment cannot both pass a cap of one), transactional sends exempt, quiet hours holding flow and campaign
 * messages until the window ends. One database of its own: the policy is global.
 */
class MessagingPolicyIT {

    static HeraldInstance herald;
    static ApiClient api;
    static GreenMail mail;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                      "herald.delivery.worker.poll-interval=100ms",
                                      "herald.flow.runtime.poll-interval=100ms",
                                      "spring.mail.host=127.0.0.1",
                                      "spring.mail.port=" + mail.getSmtp().getPort());
        api = TestAuth.asAdmin(herald.api());
        jdbc = new JdbcTemplate(herald.bean(DataSource.class));
    }

    @AfterAll
    static void stop() {
        if (herald != null) {
            herald.close();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    private static Response setPolicy(String policy) {
        Response current = api.get("/api/messaging-policy");
        String etag = current.header("ETag");
        Response set = api.send("PUT", "/api/messaging-policy", policy, "application/json",
                                etag == null ? Map.of() : Map.of("If-Match", etag));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        // the runtime reads the policy again within 2 s
        await().pollDelay(MessagingPolicyGate.REFRESH.plusMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> true);
        return set;
    }

    private static String contact(String audience) {
        Response created = api.post("/api/contacts", "{\"email\":\"p" + UUID.randomUUID().toString().substring(0, 12)
                + "@example.com\",\"attributes\":{\"audience\":\"" + audience + "\"}}");
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        return created.json().get("id").asText();
    }

    private static String email(String contactId) {
        return api.get("/api/contacts/" + contactId).json().get("email").asText();
    }

    private static List<MimeMessage> mailTo(String address) throws Exception {
        return Mailbox.to(mail, address);
    }

    private static String emailFlow(String subject, boolean transactional) {
        Response created = api.post("/api/flows", """
                {"name":"Policy %s","definition":{"trigger":{"type":"api"},"nodes":[
                  {"type":"entry","id":"start","next":"mail"},
                  {"type":"send","id":"mail","channel":"EMAIL","transactional":%s,
                   "content":{"subject":"%s","body":"Hello"},"next":"done"},
                  {"type":"exit","id":"done"}]}}""".formatted(UUID.randomUUID(), transactional, subject));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(api.post("/api/flows/" + id + "/publish", null).status()).isEqualTo(200);
        assertThat(api.post("/api/flows/" + id + "/activate", null).status()).isEqualTo(200);
        return id;
    }

    private static void enter(String flow, String contact) {
        Response entered = api.post("/api/flows/" + flow + "/entries", "{\"contacts\":[{\"contactId\":\"" + contact
                + "\"}]}");
        assertThat(entered.status()).as(entered.toString()).isEqualTo(200);
    }

    private static JsonNode run(String flow, String contact) {
        return api.get("/api/flows/" + flow + "/runs?contactId=" + contact).json().get("items").get(0);
    }

    private static JsonNode lastStep(JsonNode run, String kind) {
        JsonNode found = null;
        for (JsonNode step : run.get("steps")) {
            if (step.get("kind").asText().equals(kind)) {
                found = step;
            }
        }
        assertThat(found).as("a " + kind + " step in " + run).isNotNull();
        return found;
    }

    @Test
    void policyApi_validatesWhole_takesIfMatch_andKeepsEveryChangeInItsHistory() {
        Response bad = api.send("PUT", "/api/messaging-policy",
                                "{\"frequencyCaps\":[{\"channel\":\"EMAIL\",\"limit\":0,\"days\":7}]}",
                                "application/json", Map.of());
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.json().get("code").asText()).isEqualTo("policy.invalid");
        assertThat(bad.toString()).contains("frequencyCaps[0].limit");
        Response badTime = api.send("PUT", "/api/messaging-policy",
                                    "{\"frequencyCaps\":[],\"quietHours\":{\"start\":\"25:00\",\"end\":\"08:00\"}}",
                                    "application/json", Map.of());
        assertThat(badTime.status()).as(badTime.toString()).isEqualTo(400);
        assertThat(badTime.toString()).contains("quietHours.start");
        Response twice = api.send("PUT", "/api/messaging-policy", "{\"frequencyCaps\":[{\"channel\":\"SMS\",\"limit\":1,"
                + "\"days\":1},{\"channel\":\"SMS\",\"limit\":2,\"days\":1}]}", "application/json", Map.of());
        assertThat(twice.status()).as(twice.toString()).isEqualTo(400);

        Response set = setPolicy("{\"frequencyCaps\":[{\"channel\":\"SMS\",\"limit\":5,\"days\":7}]}");
        assertThat(set.header("ETag")).isNotNull();
        Response stale = api.send("PUT", "/api/messaging-policy", "{\"frequencyCaps\":[]}", "application/json",
                                  Map.of("If-Match", "\"999\""));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        Response read = api.get("/api/messaging-policy");
        assertThat(read.json().get("policy").get("frequencyCaps").get(0).get("limit").asInt()).isEqualTo(5);
        assertThat(read.header("ETag")).isEqualTo(set.header("ETag"));
    }

    @Test
    void frequencyCap_underConcurrency_onlyOneOfTwoSimultaneousTakesPasses() throws Exception {
        setPolicy("{\"frequencyCaps\":[{\"channel\":\"SMS\",\"limit\":1,\"days\":1}]}");
        MessagingPolicyGate gate = herald.bean(MessagingPolicyGate.class);
        TransactionTemplate transactions = new TransactionTemplate(herald.bean(PlatformTransactionManager.class));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                UUID contact = UUID.randomUUID();
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Boolean>> takes = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    takes.add(pool.submit(() -> transactions.execute(status -> {
                        try {
                            together.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return gate.take(contact, Channel.SMS, "Europe/Paris", Instant.now());
                    })));
                }
                int passed = 0;
                for (Future<Boolean> take : takes) {
                    passed += take.get() ? 1 : 0;
                }
                assertThat(passed).as("round " + round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void frequencyCap_skipsTheSecondEmailOfTheDay_inFlowsAndCampaigns_butNotTransactionalOnes() throws Exception {
        setPolicy("{\"frequencyCaps\":[{\"channel\":\"EMAIL\",\"limit\":1,\"days\":1}]}");
        String audience = "cap-" + UUID.randomUUID();
        String capped = contact(audience);
        String fresh = contact(audience + "-other");
        String first = emailFlow("First", false);
        String second = emailFlow("Second", false);
        String receipt = emailFlow("Receipt", true);
        // two flows reach the contact at the same moment: one e-mail passes the cap of one
        enter(first, capped);
        enter(second, capped);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(run(first, capped).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(run(second, capped).get("state").asText()).isEqualTo("COMPLETED");
        });
        assertThat(mailTo(email(capped))).hasSize(1);
        JsonNode skipped = run(first, capped).toString().contains("\"kind\":\"send-skipped\"") ? run(first, capped)
                : run(second, capped);
        assertThat(lastStep(skipped, "send-skipped").get("detail").asText())
                .contains("frequency-cap (at most 1 per 1 days)");
        // a transactional send is exempt
        enter(receipt, capped);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(
                () -> assertThat(run(receipt, capped).get("state").asText()).isEqualTo("COMPLETED"));
        assertThat(mailTo(email(capped))).hasSize(2);

        // a campaign to both: the capped contact is skipped, the other gets it
        String segment = CampaignApiITSupport.segment(api, audience);
        String other = CampaignApiITSupport.segment(api, audience + "-other");
        for (String target : List.of(segment, other)) {
            Response created = api.post("/api/campaigns", "{\"name\":\"Capped " + target + "\",\"channel\":\"EMAIL\","
                    + "\"content\":{\"subject\":\"News\",\"body\":\"Hi\"},\"segmentId\":\"" + target + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String campaign = created.json().get("id").asText();
            assertThat(api.post("/api/campaigns/" + campaign + "/launch", null).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    api.get("/api/campaigns/" + campaign).json().get("status").asText()).isEqualTo("COMPLETED"));
            JsonNode delivery = api.get("/api/campaigns/" + campaign + "/deliveries").json().get("items").get(0);
            if (target.equals(segment)) {
                assertThat(delivery.get("status").asText()).isEqualTo("SKIPPED");
                assertThat(delivery.get("reason").asText()).isEqualTo("frequency-cap");
            } else {
                assertThat(delivery.get("status").asText()).isEqualTo("SENT");
            }
        }
        assertThat(mailTo(email(capped))).hasSize(2);
        assertThat(mailTo(email(fresh))).hasSize(1);
        // a transactional campaign is exempt
        Response receiptCampaign = api.post("/api/campaigns", "{\"name\":\"Notice\",\"channel\":\"EMAIL\","
                + "\"transactional\":true,\"content\":{\"subject\":\"Notice\",\"body\":\"Hi\"},\"segmentId\":\""
                + segment + "\"}");
        assertThat(receiptCampaign.status()).as(receiptCampaign.toString()).isEqualTo(201);
        assertThat(receiptCampaign.json().get("transactional").asBoolean()).isTrue();
        String notice = receiptCampaign.json().get("id").asText();
        assertThat(api.post("/api/campaigns/" + notice + "/launch", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                api.get("/api/campaigns/" + notice).json().get("status").asText()).isEqualTo("COMPLETED"));
        assertThat(mailTo(email(capped))).hasSize(3);
        setPolicy("{\"frequencyCaps\":[]}");
    }

    @Test
    void quietHours_holdFlowAndCampaignMessagesUntilTheWindowEnds_transactionalOnesGo() throws Exception {
        // a window around now in UTC (contacts without a zone take the policy's)
        LocalTime now = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        String start = now.minusHours(1).toString();
        String end = now.plusHours(2).toString();
        setPolicy("{\"frequencyCaps\":[],\"quietHours\":{\"start\":\"" + start + "\",\"end\":\"" + end
                          + "\",\"channels\":[\"EMAIL\"],\"timeZone\":\"UTC\"}}");
        String audience = "quiet-" + UUID.randomUUID();
        String contact = contact(audience);
        String flow = emailFlow("Quiet", false);
        String receipt = emailFlow("Receipt now", true);
        enter(flow, contact);
        enter(receipt, contact);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode run = run(flow, contact);
            assertThat(run.get("state").asText()).isEqualTo("WAITING");
            assertThat(run.get("reason").asText()).isEqualTo("quiet-hours");
            assertThat(run(receipt, contact).get("state").asText()).isEqualTo("COMPLETED");
        });
        Instant due = Instant.parse(run(flow, contact).get("dueAt").asText());
        assertThat(due.atZone(ZoneOffset.UTC).toLocalTime().toString()).isEqualTo(end);
        assertThat(due).isAfter(Instant.now());
        assertThat(mailTo(email(contact))).hasSize(1); // the receipt only

        // a campaign's message waits too: PENDING until the window ends
        String segment = CampaignApiITSupport.segment(api, audience);
        Response created = api.post("/api/campaigns", "{\"name\":\"Quiet\",\"channel\":\"EMAIL\","
                + "\"content\":{\"subject\":\"Night news\",\"body\":\"Hi\"},\"segmentId\":\"" + segment + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String campaign = created.json().get("id").asText();
        assertThat(api.post("/api/campaigns/" + campaign + "/launch", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> rows = jdbc.queryForList("select status, reason, next_attempt_at from delivery "
                                                                       + "where campaign_id = ?", campaign);
            assertThat(rows).hasSize(1);
            Map<String, Object> row = rows.get(0);
            assertThat(row.get("status")).isEqualTo("PENDING");
            assertThat(row.get("reason")).isEqualTo("quiet-hours");
            assertThat(((java.sql.Timestamp) row.get("next_attempt_at")).toInstant()).isEqualTo(due);
        });
        assertThat(mailTo(email(contact))).hasSize(1);

        // the window over (the policy changed, the held messages fall due): both go
        setPolicy("{\"frequencyCaps\":[]}");
        jdbc.update("update flow_run set due_at = now() where reason = 'quiet-hours'");
        jdbc.update("update delivery set next_attempt_at = now() where campaign_id = ?", campaign);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(run(flow, contact).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(api.get("/api/campaigns/" + campaign).json().get("status").asText()).isEqualTo("COMPLETED");
        });
        assertThat(mailTo(email(contact))).hasSize(3);
    }
}
