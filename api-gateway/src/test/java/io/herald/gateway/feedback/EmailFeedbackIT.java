package io.herald.gateway.feedback;

import io.herald.saga.testsupport.RejectingSmtpProxy;
import io.herald.saga.testsupport.SnsTestKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.Mailbox;
import io.herald.gateway.support.TestAuth;
import jakarta.mail.internet.MimeMessage;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bounces and complaints end to end, over real HTTP: a campaign sent through a real SMTP server (GreenMail behind a
 * proxy that refuses one mailbox with 550), SNS messages for SES signed by a test key whose certificate a local HTTP
 * server serves at the SigningCertURL (and which takes the subscription's confirmation), Mailgun webhooks signed
 * with a test signing key; then the contacts' consent, their timelines, the campaign report (also rebuilt from the
 * event store) and a later campaign that skips the bounced and complaining contacts.
 */
class EmailFeedbackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:herald-ses-feedback";
    private static final String MAILGUN_KEY = "mailgun-test-signing-key-" + UUID.randomUUID();

    @TempDir
    static Path dir;
    static String database;
    static HeraldInstance herald;
    static ApiClient api;
    static ApiClient anonymous;
    static GreenMail mail;
    static RejectingSmtpProxy smtp;
    static HttpServer sns;
    static SnsTestKeys keys;
    static SnsTestKeys stranger;
    static final AtomicInteger confirmations = new AtomicInteger();
    static final AtomicInteger certificateFetches = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        smtp = new RejectingSmtpProxy(mail.getSmtp().getPort(), "nobody-");
        keys = SnsTestKeys.generate(dir, null, 2);
        stranger = SnsTestKeys.generate(dir, null, 2);
        String pem = keys.pem();
        sns = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sns.createContext("/SimpleNotificationService-test.pem", exchange -> {
            certificateFetches.incrementAndGet();
            byte[] body = pem.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sns.createContext("/confirm", exchange -> {
            confirmations.incrementAndGet();
            byte[] body = "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sns.start();
        database = TestDatabases.newDatabase();
        herald = launch();
        api = TestAuth.asAdmin(herald.api());
        anonymous = herald.api();
    }

    private static HeraldInstance launch(String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "herald.delivery.worker.poll-interval=100ms",
                "herald.flow.runtime.poll-interval=100ms",
                "herald.rate-limits.enabled=true",
                "spring.mail.host=127.0.0.1",
                "spring.mail.port=" + smtp.port(),
                "herald.delivery.email.from=news@herald.example.com",
                // the local server stands in for sns.<region>.amazonaws.com (default: https on that host only)
                "herald.feedback.ses.certificate-host-pattern=127\\.0\\.0\\.1:\\d+",
                "herald.feedback.ses.allow-http=true",
                "herald.feedback.ses.topic-arns=" + TOPIC,
                "herald.feedback.mailgun.signing-key=" + MAILGUN_KEY));
        properties.addAll(List.of(extra));
        return HeraldInstance.start(database, properties.toArray(String[]::new));
    }

    @AfterAll
    static void stop() throws Exception {
        if (herald != null) {
            herald.close();
        }
        sns.stop(0);
        smtp.close();
        mail.stop();
    }

    private static String snsUrl(String path) {
        return "http://127.0.0.1:" + sns.getAddress().getPort() + path;
    }

    private static String certificateUrl() {
        return snsUrl("/SimpleNotificationService-test.pem");
    }

    private static ApiClient.Response postSns(String body) {
        // SNS posts its JSON as text/plain
        return anonymous.send("POST", "/feedback/ses", body, "text/plain; charset=UTF-8",
                              Map.of("x-amz-sns-message-type", "Notification"));
    }

    private static ApiClient.Response postMailgun(String body) {
        return anonymous.send("POST", "/feedback/mailgun", body, "application/json", Map.of());
    }

    private static String sesBounce(String bounceType, String headerDelivery, String messageId, String feedbackId,
                                    String address) {
        String headers = headerDelivery == null ? ""
                : "{\"name\":\"X-Herald-Delivery\",\"value\":\"" + headerDelivery + "\"}";
        return "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"" + bounceType + "\",\"bounceSubType\":"
                + "\"General\",\"bouncedRecipients\":[{\"emailAddress\":\"" + address + "\",\"action\":\"failed\","
                + "\"status\":\"5.1.1\",\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"}],\"timestamp\":"
                + "\"2026-12-08T00:10:00.000Z\",\"feedbackId\":\"" + feedbackId + "\"},\"mail\":{\"timestamp\":"
                + "\"2026-12-08T00:09:58.000Z\",\"source\":\"news@herald.example.com\",\"messageId\":"
                + "\"0102018c-ses-id\",\"destination\":[\"" + address + "\"],\"headersTruncated\":false,\"headers\":["
                + headers + "],\"commonHeaders\":{\"messageId\":\"" + messageId + "\"}}}";
    }

    private static String sesComplaint(String messageId, String feedbackId, String address) {
        return "{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":\""
                + address + "\"}],\"timestamp\":\"2026-12-08T00:20:00.000Z\",\"feedbackId\":\"" + feedbackId + "\","
                + "\"complaintFeedbackType\":\"abuse\"},\"mail\":{\"messageId\":\"0102018c-ses-id-2\",\"headers\":[],"
                + "\"commonHeaders\":{\"messageId\":\"" + messageId + "\"}}}";
    }

    private static String mailgun(long timestamp, String token, String eventData) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(MAILGUN_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal((timestamp + token).getBytes(StandardCharsets.UTF_8)));
        return "{\"signature\":{\"timestamp\":\"" + timestamp + "\",\"token\":\"" + token + "\",\"signature\":\""
                + signature + "\"},\"event-data\":" + eventData + "}";
    }

    private static String mailgunFailed(String id, String severity, String messageId, String address) {
        return "{\"id\":\"" + id + "\",\"event\":\"failed\",\"severity\":\"" + severity + "\",\"reason\":\"generic\","
                + "\"timestamp\":" + Instant.now().getEpochSecond() + ".5,\"recipient\":\"" + address + "\","
                + "\"message\":{\"headers\":{\"message-id\":\"" + messageId + "\"}},\"delivery-status\":{\"code\":452,"
                + "\"message\":\"4.2.2 mailbox full\"}}";
    }

    private static void assertProblem(ApiClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("code").asText()).as(response.toString()).isEqualTo(code);
    }

    private static String contact(String audience, String address) throws Exception {
        var created = api.post("/api/contacts", "{\"email\":\"" + address + "\",\"attributes\":{\"audience\":\""
                + audience + "\"}}");
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        return created.json().get("id").asText();
    }

    private static String sendCampaign(String audience, String name) throws Exception {
        Map<String, Object> content = Map.of("subject", "Hello", "body", "Hi. {{ unsubscribe_url }}");
        var created = api.post("/api/campaigns", JSON.writeValueAsString(Map.of(
                "name", name, "channel", "EMAIL", "content", content,
                "segmentId", CampaignApiITSupport.segment(api, audience))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String campaignId = created.json().get("id").asText();
        assertThat(api.post("/api/campaigns/" + campaignId + "/launch", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                api.get("/api/campaigns/" + campaignId).json().get("status").asText()).isEqualTo("COMPLETED"));
        return campaignId;
    }

    private static String consent(String contactId) {
        JsonNode email = api.get("/api/contacts/" + contactId).json().path("consent").path("EMAIL");
        return email.isMissingNode() ? null : email.path("status").asText(null);
    }

    private static List<String> timeline(String contactId) {
        List<String> types = new ArrayList<>();
        api.get("/api/contacts/" + contactId + "/timeline").json().get("entries")
                .forEach(entry -> types.add(entry.get("type").asText()));
        return types;
    }

    @Test
    void aFlowsEmail_refusedWith550_isAHardBounceOfItsRunAndNode() throws Exception {
        String address = "nobody-flow-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String contactId = contact("flow-" + UUID.randomUUID(), address);
        Map<String, Object> definition = Map.of("trigger", Map.of("type", "api"), "nodes", List.of(
                Map.of("type", "entry", "id", "start", "next", "mail"),
                Map.of("type", "send", "id", "mail", "channel", "EMAIL",
                       "content", Map.of("subject", "Welcome", "body", "Hi"), "next", "done"),
                Map.of("type", "exit", "id", "done")));
        var created = api.post("/api/flows", JSON.writeValueAsString(Map.of("name", "Bounce " + UUID.randomUUID(),
                                                                            "definition", definition)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String flowId = created.json().get("id").asText();
        assertThat(api.post("/api/flows/" + flowId + "/publish", null).status()).isEqualTo(200);
        assertThat(api.post("/api/flows/" + flowId + "/activate", null).status()).isEqualTo(200);
        var entered = api.post("/api/flows/" + flowId + "/entries",
                               "{\"contacts\":[{\"contactId\":\"" + contactId + "\"}]}");
        assertThat(entered.status()).as(entered.toString()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(consent(contactId)).isEqualTo("BOUNCED"));
        String runId = api.get("/api/flows/" + flowId + "/runs?contactId=" + contactId).json().get("items").get(0)
                .get("runId").asText();
        List<JsonNode> bounces = new ArrayList<>();
        api.get("/api/contacts/" + contactId + "/timeline").json().get("entries").forEach(entry -> {
            if (entry.get("type").asText().equals("EmailBounced")) {
                bounces.add(entry.get("payload"));
            }
        });
        assertThat(bounces).singleElement().satisfies(bounce -> {
            assertThat(bounce.get("deliveryId").asText()).isEqualTo(runId + ":mail");
            assertThat(bounce.get("flowId").asText()).isEqualTo(flowId);
            assertThat(bounce.get("flowNodeId").asText()).isEqualTo("mail");
            assertThat(bounce.get("provider").asText()).isEqualTo("smtp");
            assertThat(bounce.get("hard").asBoolean()).isTrue();
            assertThat(bounce.get("bounceType").asText()).isEqualTo("smtp-550");
        });
        assertThat(Mailbox.to(mail, address)).isEmpty();
    }

    @Test
    void bouncesAndComplaints_fromSmtpSesAndMailgun_areRecordedOnce_changeConsent_andAreCounted() throws Exception {
        // the SNS subscription is confirmed at its SubscribeURL (a GET of the local server)
        var confirmed = postSns(keys.confirmation(TOPIC, snsUrl("/confirm?Token=abc"), certificateUrl()));
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        assertThat(confirmed.json().get("outcome").asText()).isEqualTo("subscription-confirmed");
        assertThat(confirmations.get()).isEqualTo(1);

        String audience = "fb-" + UUID.randomUUID();
        String tag = audience.substring(3, 11);
        String ann = contact(audience, "ann-" + tag + "@example.com");      // hard bounce through SES
        String bob = contact(audience, "bob-" + tag + "@example.com");      // complaint through SES
        String carl = contact(audience, "carl-" + tag + "@example.com");    // soft bounce through Mailgun
        String dave = contact(audience, "nobody-" + tag + "@example.com");  // refused by the SMTP server: 550
        String first = sendCampaign(audience, "Feedback " + audience);

        // the SMTP 5xx is a hard bounce, recorded with the send: consent BOUNCED, counted by the report
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(consent(dave)).isEqualTo("BOUNCED"));
        assertThat(timeline(dave)).contains("EmailBounced");

        // each e-mail names its delivery in X-Herald-Delivery and in its Message-ID
        MimeMessage toAnn = Mailbox.to(mail, "ann-" + tag + "@example.com").get(0);
        assertThat(toAnn.getHeader("X-Herald-Delivery", null)).isEqualTo(first + ":" + ann);
        assertThat(toAnn.getMessageID()).isEqualTo("<" + first + "." + ann + "@herald.example.com>");
        String bobMessageId = Mailbox.to(mail, "bob-" + tag + "@example.com").get(0).getMessageID();
        String carlMessageId = Mailbox.to(mail, "carl-" + tag + "@example.com").get(0).getMessageID();
        assertThat(Mailbox.to(mail, "nobody-" + tag + "@example.com")).isEmpty();

        // SES hard bounce, matched by the header (SignatureVersion 1); the same notification again records nothing
        String annBounce = keys.notification(TOPIC, UUID.randomUUID().toString(),
                                             sesBounce("Permanent", first + ":" + ann, "<rewritten@amazonses.com>",
                                                       "fb-ann-" + tag, "ann-" + tag + "@example.com"),
                                             certificateUrl(), 1);
        var recorded = postSns(annBounce);
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(200);
        assertThat(recorded.json().get("outcome").asText()).isEqualTo("recorded");
        var again = postSns(annBounce);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("outcome").asText()).isEqualTo("duplicate");

        // SES complaint, matched by the Message-ID (SignatureVersion 2)
        var complained = postSns(keys.notification(TOPIC, UUID.randomUUID().toString(),
                                                   sesComplaint(bobMessageId, "fb-bob-" + tag, "bob-" + tag + "@example.com"),
                                                   certificateUrl(), 2));
        assertThat(complained.json().get("outcome").asText()).as(complained.toString()).isEqualTo("recorded");

        // Mailgun soft bounce: recorded, no consent change; its retry (same token, same event) is a duplicate;
        // the token with another event is a replay: refused
        long now = Instant.now().getEpochSecond();
        String carlEvent = mailgunFailed("mg-" + tag, "temporary", carlMessageId.replaceAll("[<>]", ""),
                                         "carl-" + tag + "@example.com");
        var soft = postMailgun(mailgun(now, "token-" + tag, carlEvent));
        assertThat(soft.status()).as(soft.toString()).isEqualTo(200);
        assertThat(soft.json().get("outcome").asText()).isEqualTo("recorded");
        assertThat(postMailgun(mailgun(now, "token-" + tag, carlEvent)).json().get("outcome").asText())
                .isEqualTo("duplicate");
        assertProblem(postMailgun(mailgun(now, "token-" + tag, carlEvent.replace("mg-" + tag, "mg-other-" + tag))),
                      401, "feedback.signature-invalid");
        assertProblem(postMailgun(mailgun(now - 3600, "token-old-" + tag, carlEvent)), 401,
                      "feedback.signature-invalid");
        assertProblem(postMailgun(mailgun(now, "token-2-" + tag, carlEvent).replace(MAILGUN_KEY, "x")
                                          .replaceAll("\"signature\":\"[0-9a-f]{64}\"", "\"signature\":\"" + "0".repeat(64) + "\"")),
                      401, "feedback.signature-invalid");

        // unknown delivery: answered 2xx (providers retry anything else), nothing recorded
        String nobody = UUID.randomUUID() + "." + UUID.randomUUID() + "@herald.example.com";
        var unknown = postSns(keys.notification(TOPIC, UUID.randomUUID().toString(),
                                                sesBounce("Permanent", null, "<" + nobody + ">", "fb-x-" + tag,
                                                          "x@example.com"), certificateUrl(), 2));
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().get("outcome").asText()).isEqualTo("unknown-delivery");
        var delivery = postSns(keys.notification(TOPIC, UUID.randomUUID().toString(),
                                                 "{\"notificationType\":\"Delivery\",\"mail\":{}}", certificateUrl(), 2));
        assertThat(delivery.json().get("outcome").asText()).isEqualTo("ignored");

        // refused: a tampered message, a key that is not the certificate's, another topic, a certificate URL off
        // the pattern, a body that is not an SNS message
        ObjectNode tampered = (ObjectNode) JSON.readTree(annBounce);
        tampered.put("Message", tampered.get("Message").asText().replace("Permanent", "Transient"));
        assertProblem(postSns(tampered.toString()), 401, "feedback.signature-invalid");
        assertProblem(postSns(stranger.notification(TOPIC, "m", "{}", certificateUrl(), 2)), 401,
                      "feedback.signature-invalid");
        assertProblem(postSns(keys.notification(TOPIC + "-other", "m", "{}", certificateUrl(), 2)), 403,
                      "feedback.sender-not-allowed");
        assertProblem(postSns(keys.notification(TOPIC, "m", "{}", certificateUrl().replace("127.0.0.1", "localhost"), 2)),
                      401, "feedback.signature-invalid");
        assertProblem(postSns("this is not json"), 400, "feedback.malformed");
        assertProblem(postSns("{\"Type\":\"Notification\"}"), 400, "feedback.malformed");
        assertProblem(postMailgun("{"), 400, "feedback.malformed");
        assertThat(certificateFetches.get()).as("the certificate is fetched once, then kept").isEqualTo(1);

        // consent: hard bounce and complaint change it, the soft bounce does not
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(consent(ann)).isEqualTo("BOUNCED");
            assertThat(consent(bob)).isEqualTo("COMPLAINED");
        });
        assertThat(consent(carl)).isNotIn("BOUNCED", "COMPLAINED");
        assertThat(timeline(ann)).contains("EmailBounced", "ContactConsentChanged");
        assertThat(timeline(bob)).contains("EmailComplained", "ContactConsentChanged");
        assertThat(timeline(carl)).contains("EmailBounced").doesNotContain("ContactConsentChanged");
        assertThat(timeline(ann).stream().filter("EmailBounced"::equals).count()).isEqualTo(1);

        // the report: feedback counted per recipient, not a delivery status (sent + failed + ... = audience)
        JsonNode report = api.get("/api/campaigns/" + first + "/report").json();
        assertThat(report.get("audience").asLong()).isEqualTo(4);
        assertThat(report.get("sent").asLong()).isEqualTo(3);
        assertThat(report.get("failed").asLong()).isEqualTo(1);
        assertThat(report.get("bounced").asLong()).isEqualTo(3);
        assertThat(report.get("hardBounced").asLong()).isEqualTo(2);
        assertThat(report.get("complained").asLong()).isEqualTo(1);
        assertThat(report.get("notRecorded").toString()).isEqualTo("[\"unsubscribed\"]");
        assertThat(api.get("/api/campaigns/" + first + "/report?format=csv").body())
                .contains("\r\nbounced,3,3\r\nhard_bounced,2,2\r\ncomplained,1,1\r\n");

        // a later campaign skips the bounced and the complaining contacts
        String second = sendCampaign(audience, "Feedback again " + audience);
        JsonNode later = api.get("/api/campaigns/" + second + "/report").json();
        assertThat(later.get("sent").asLong()).isEqualTo(1);
        assertThat(later.get("skipped").asLong()).isEqualTo(3);
        assertThat(Mailbox.to(mail, "carl-" + tag + "@example.com")).hasSize(2);
        assertThat(Mailbox.to(mail, "ann-" + tag + "@example.com")).hasSize(1);

        // rebuilt from the event store (empty tables, from the start): the same counts
        herald.close();
        herald = null;
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(database));
        jdbc.update("truncate campaign_report_mark, campaign_report, campaign_report_hour, campaign_report_link");
        jdbc.update("delete from token_entry where processor_name = 'campaign-report'");
        herald = launch("axon.eventhandling.processors.campaign-report.mode=pooled");
        api = TestAuth.asAdmin(herald.api());
        anonymous = herald.api();
        PooledStreamingEventProcessor processor = herald.bean(EventProcessingConfiguration.class)
                .eventProcessor("campaign-report", PooledStreamingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<Integer, EventTrackerStatus> status = processor.processingStatus();
            return !status.isEmpty() && status.values().stream().allMatch(EventTrackerStatus::isCaughtUp);
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                api.get("/api/campaigns/" + first + "/report").json()).isEqualTo(report));
    }
}
