package io.herald.gateway.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.Mailbox;
import io.herald.gateway.support.TestAuth;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * E-mail opens and clicks end to end: a campaign sent to GreenMail by an instance with a delivery worker, the pixel
 * and the rewritten links taken from the received message and fetched over HTTP as a mail client and a person would.
 */
class EngagementIT {

    private static final String SHOP = "https://shop.example.com/sale?a=1&b=2";
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/120.0 Safari/537.36";
    private static final String GOOGLE_PROXY = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 "
            + "(via ggpht.com GoogleImageProxy)";
    private static final Pattern PIXEL = Pattern.compile("/t/o/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern CLICK = Pattern.compile("/t/c/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    static HeraldInstance herald;
    static ApiClient api;
    static GreenMail mail;
    static HttpClient http;

    @BeforeAll
    static void start() {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                      "herald.delivery.worker.poll-interval=100ms",
                                      "herald.flow.runtime.poll-interval=100ms",
                                      // the test fetches right after the send: the time rule is MachineTrafficTest's
                                      "herald.engagement.machine-window=0s",
                                      // the rate-limit groups of application.yml, the engagement group among them
                                      "herald.rate-limits.enabled=true",
                                      "spring.mail.host=127.0.0.1",
                                      "spring.mail.port=" + mail.getSmtp().getPort());
        api = TestAuth.asAdmin(herald.api());
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @AfterAll
    static void stop() {
        if (herald != null) {
            herald.close();
        }
        mail.stop();
    }

    private record Received(MimeMessage message, String text, String html) {
    }

    /** Sends an e-mail campaign to one new contact; returns the campaign, the contact and what GreenMail received. */
    private static Object[] sendCampaign(Map<String, Object> extraContent) throws Exception {
        String audience = "eng-" + UUID.randomUUID();
        String address = "e" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        var contact = api.post("/api/contacts", "{\"email\":\"" + address + "\",\"attributes\":{\"audience\":\""
                + audience + "\",\"first_name\":\"Ann\"}}");
        assertThat(contact.status()).as(contact.toString()).isIn(200, 201);
        String contactId = contact.json().get("id").asText();
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("subject", "Hi {{ first_name }}");
        content.put("body", "Sale: https://shop.example.com/sale?a=1&b=2.\nUnsubscribe: {{ unsubscribe_url }}");
        content.put("html", "<html><body><p>Hi {{ first_name }}</p><a href=\"https://shop.example.com/sale?a=1&amp;b=2\">"
                + "Sale</a> <a href=\"mailto:help@example.com\">Help</a> <a href=\"#top\">Top</a>"
                + " <a href=\"{{ unsubscribe_url }}\">Unsubscribe</a></body></html>");
        content.putAll(extraContent);
        Map<String, Object> campaign = Map.of("name", "Engagement " + audience, "channel", "EMAIL", "content", content,
                                              "segmentId", CampaignApiITSupport.segment(api, audience));
        var created = api.post("/api/campaigns", JSON.writeValueAsString(campaign));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String campaignId = created.json().get("id").asText();
        assertThat(api.post("/api/campaigns/" + campaignId + "/launch", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                api.get("/api/campaigns/" + campaignId).json().get("status").asText()).isEqualTo("COMPLETED"));
        List<MimeMessage> messages = Mailbox.to(mail, address);
        assertThat(messages).hasSize(1);
        Map<String, String> parts = new LinkedHashMap<>();
        collect(messages.get(0), parts);
        return new Object[]{campaignId, contactId, new Received(messages.get(0), parts.get("text/plain"),
                                                                parts.get("text/html"))};
    }

    private static void collect(Part part, Map<String, String> parts) throws Exception {
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                collect(body, parts);
            }
        } else if (content instanceof String text) {
            parts.put(part.getContentType().toLowerCase().split(";")[0].strip(), text);
        }
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in %s", pattern, text).isTrue();
        return matcher.group();
    }

    private static HttpResponse<byte[]> fetch(String path, String userAgent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + path));
        if (userAgent != null) {
            request.header("User-Agent", userAgent);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<JsonNode> timeline(String contactId, String type) {
        List<JsonNode> found = new ArrayList<>();
        api.get("/api/contacts/" + contactId + "/timeline").json().get("entries").forEach(entry -> {
            if (entry.get("type").asText().equals(type)) {
                found.add(entry.get("payload"));
            }
        });
        return found;
    }

    private static void assertPixel(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/gif");
        assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        assertThat(response.body()).isEqualTo(EngagementController.PIXEL);
        assertThat(new String(response.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("GIF89a");
    }

    @Test
    void opensAndClicks_areRecordedInTheTimeline_theRedirectGoesToTheOriginalUrl_machinesAreFlagged() throws Exception {
        Object[] sent = sendCampaign(Map.of());
        String campaignId = (String) sent[0];
        String contactId = (String) sent[1];
        Received received = (Received) sent[2];
        String unsubscribe = received.message().getHeader("List-Unsubscribe")[0].replaceAll("[<>]", "");

        // the unsubscribe link, mailto: and the anchor are as written; the shop's link is a signed redirect
        assertThat(received.html()).contains("href=\"" + unsubscribe + "\"").contains("href=\"mailto:help@example.com\"")
                .contains("href=\"#top\"").doesNotContain("shop.example.com");
        assertThat(received.text()).contains("Unsubscribe: " + unsubscribe).doesNotContain("shop.example.com");
        String pixel = first(PIXEL, received.html());
        String htmlClick = first(CLICK, received.html());
        String textClick = first(CLICK, received.text());
        assertThat(received.text()).as("the full stop after the URL stays after it")
                .containsPattern(Pattern.quote(textClick) + "\\.\\r?\\n");

        // a person opens the e-mail, then clicks in the HTML and in the text
        HttpResponse<byte[]> opened = fetch(pixel, BROWSER);
        assertPixel(opened);
        assertThat(opened.headers().firstValue("RateLimit-Policy")).as("its own group, per address")
                .hasValue("30000;w=60;name=\"engagement\"");
        HttpResponse<byte[]> click = fetch(htmlClick, BROWSER);
        assertThat(click.statusCode()).isEqualTo(302);
        assertThat(click.headers().firstValue("Location")).hasValue(SHOP);
        HttpResponse<byte[]> again = fetch(textClick, BROWSER);
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(again.headers().firstValue("Location")).hasValue(SHOP);
        // Gmail's image proxy fetches the pixel; a scanner follows the link
        assertPixel(fetch(pixel, GOOGLE_PROXY));
        assertThat(fetch(htmlClick, "python-requests/2.31").statusCode()).isEqualTo(302);

        String deliveryId = campaignId + ":" + contactId;
        List<JsonNode> opens = timeline(contactId, "EmailOpened");
        assertThat(opens).hasSize(2);
        assertThat(opens.get(0).get("deliveryId").asText()).isEqualTo(deliveryId);
        assertThat(opens.get(0).get("campaignId").asText()).isEqualTo(campaignId);
        assertThat(opens.get(0).get("userAgentClass").asText()).isEqualTo("browser");
        assertThat(opens.get(0).get("machine").asBoolean()).isFalse();
        assertThat(opens.get(0).get("first").asBoolean()).isTrue();
        assertThat(opens.get(1).get("machine").asBoolean()).isTrue();
        assertThat(opens.get(1).get("machineReason").asText()).isEqualTo("image-proxy");
        assertThat(opens.get(1).get("userAgentClass").asText()).isEqualTo("image-proxy:google");
        assertThat(opens.get(1).get("first").asBoolean()).as("the second open of the delivery").isFalse();

        List<JsonNode> clicks = timeline(contactId, "LinkClicked");
        assertThat(clicks).hasSize(3);
        assertThat(clicks).allSatisfy(c -> {
            assertThat(c.get("link").asText()).isEqualTo(SHOP);
            assertThat(c.get("deliveryId").asText()).isEqualTo(deliveryId);
            assertThat(c.get("links").asInt()).isEqualTo(1);
        });
        assertThat(clicks.get(0).get("machine").asBoolean()).isFalse();
        assertThat(clicks.get(0).get("first").asBoolean()).isTrue();
        assertThat(clicks.get(1).get("first").asBoolean()).as("the same link again").isFalse();
        assertThat(clicks.get(1).get("machine").asBoolean()).isFalse();
        assertThat(clicks.get(2).get("machine").asBoolean()).isTrue();
        assertThat(clicks.get(2).get("machineReason").asText()).isEqualTo("automated-user-agent");
        // never the address or the raw user agent
        String whole = api.get("/api/contacts/" + contactId + "/timeline").body();
        assertThat(whole).doesNotContain("127.0.0.1").doesNotContain("GoogleImageProxy").doesNotContain("python-requests");
    }

    @Test
    void aBurstOfConcurrentOpensAndClicks_isRecordedTogether_eachHitOnce_andOneFirstOpenAndOneFirstClick() throws Exception {
        Object[] sent = sendCampaign(Map.of());
        String contactId = (String) sent[1];
        Received received = (Received) sent[2];
        String pixel = first(PIXEL, received.html());
        String click = first(CLICK, received.html());
        int each = 12;
        ExecutorService clients = Executors.newFixedThreadPool(2 * each);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
        for (int i = 0; i < 2 * each; i++) {
            String path = i % 2 == 0 ? pixel : click;
            answers.add(clients.submit(() -> {
                go.await();
                return fetch(path, BROWSER);
            }));
        }
        go.countDown();
        int pixels = 0;
        for (Future<HttpResponse<byte[]>> answer : answers) {
            HttpResponse<byte[]> response = answer.get(60, TimeUnit.SECONDS);
            if (response.statusCode() == 200) {
                assertPixel(response);
                pixels++;
            } else {
                assertThat(response.statusCode()).isEqualTo(302);
                assertThat(response.headers().firstValue("Location")).hasValue(SHOP);
            }
        }
        clients.shutdown();
        assertThat(pixels).isEqualTo(each);

        // every hit is one event, whatever group it was written in; exactly one of each kind is the delivery's first
        List<JsonNode> opens = timeline(contactId, "EmailOpened");
        assertThat(opens).hasSize(each);
        assertThat(opens).filteredOn(o -> o.get("first").asBoolean()).hasSize(1);
        List<JsonNode> clicks = timeline(contactId, "LinkClicked");
        assertThat(clicks).hasSize(each);
        assertThat(clicks).filteredOn(c -> c.get("first").asBoolean()).hasSize(1);
    }

    @Test
    void forgedCutOrGarbageTokens_answerThePixelOr404_neverA500_andRecordNothing() throws Exception {
        Object[] sent = sendCampaign(Map.of());
        String contactId = (String) sent[1];
        Received received = (Received) sent[2];
        String pixel = first(PIXEL, received.html());
        String click = first(CLICK, received.html());
        int cut = click.length() - 4;
        String tampered = click.substring(0, cut) + (click.charAt(cut) == 'A' ? 'B' : 'A') + click.substring(cut + 1);
        String pixelTampered = pixel.substring(0, pixel.length() - 3) + (pixel.endsWith("A") ? "BBB" : "AAA");

        for (String path : List.of(pixelTampered, pixel.substring(0, pixel.length() - 10), "/t/o/x", "/t/o/a.b",
                                   "/t/o/" + "A".repeat(5000), click.replace("/t/c/", "/t/o/"))) {
            assertPixel(fetch(path, BROWSER));
        }
        for (String path : List.of(tampered, click.substring(0, click.length() - 10), "/t/c/x", "/t/c/a.b..",
                                   "/t/c/" + "A".repeat(5000), pixel.replace("/t/o/", "/t/c/"))) {
            HttpResponse<byte[]> response = fetch(path, BROWSER);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(new String(response.body())).contains("engagement.link-invalid");
        }
        assertThat(timeline(contactId, "EmailOpened")).isEmpty();
        assertThat(timeline(contactId, "LinkClicked")).isEmpty();
    }

    @Test
    void aFlowsSendNode_tracksItsLinks_namingTheFlowAndNode_andItsOwnSwitchLeavesOutThePixel() throws Exception {
        String address = "f" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        var contact = api.post("/api/contacts", "{\"email\":\"" + address + "\"}");
        assertThat(contact.status()).as(contact.toString()).isIn(200, 201);
        String contactId = contact.json().get("id").asText();
        Map<String, Object> content = Map.of("subject", "Welcome", "trackOpens", false,
                                             "html", "<p>Hi</p><a href=\"https://shop.example.com/welcome\">Shop</a>");
        Map<String, Object> definition = Map.of("trigger", Map.of("type", "api"), "nodes", List.of(
                Map.of("type", "entry", "id", "start", "next", "mail"),
                Map.of("type", "send", "id", "mail", "channel", "EMAIL", "content", content, "next", "done"),
                Map.of("type", "exit", "id", "done")));
        var created = api.post("/api/flows", JSON.writeValueAsString(Map.of("name", "Welcome " + UUID.randomUUID(),
                                                                            "definition", definition)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String flowId = created.json().get("id").asText();
        assertThat(api.post("/api/flows/" + flowId + "/publish", null).status()).isEqualTo(200);
        assertThat(api.post("/api/flows/" + flowId + "/activate", null).status()).isEqualTo(200);
        var entered = api.post("/api/flows/" + flowId + "/entries", "{\"contacts\":[{\"contactId\":\"" + contactId + "\"}]}");
        assertThat(entered.status()).as(entered.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> Mailbox.to(mail, address).size() == 1);
        Map<String, String> parts = new LinkedHashMap<>();
        collect(Mailbox.to(mail, address).get(0), parts);
        String html = parts.get("text/html");

        assertThat(html).doesNotContain("/t/o/").doesNotContain("shop.example.com");
        HttpResponse<byte[]> click = fetch(first(CLICK, html), BROWSER);
        assertThat(click.statusCode()).isEqualTo(302);
        assertThat(click.headers().firstValue("Location")).hasValue("https://shop.example.com/welcome");

        List<JsonNode> clicks = timeline(contactId, "LinkClicked");
        assertThat(clicks).hasSize(1);
        JsonNode recorded = clicks.get(0);
        String runId = api.get("/api/flows/" + flowId + "/runs?contactId=" + contactId).json().get("items").get(0)
                .get("runId").asText();
        assertThat(recorded.get("flowId").asText()).isEqualTo(flowId);
        assertThat(recorded.get("flowNodeId").asText()).isEqualTo("mail");
        assertThat(recorded.get("deliveryId").asText()).isEqualTo(runId + ":mail");
        assertThat(recorded.hasNonNull("campaignId")).isFalse();
        assertThat(recorded.get("machine").asBoolean()).as("no pixel: a click without an open is a person's").isFalse();
    }

    @Test
    void trackingSwitchedOff_noPixel_andTheLinksAreAsWritten() throws Exception {
        Object[] sent = sendCampaign(Map.of("trackOpens", false, "trackClicks", false));
        Received received = (Received) sent[2];
        String campaignId = (String) sent[0];

        assertThat(received.html()).doesNotContain("/t/o/").doesNotContain("/t/c/")
                .contains("href=\"https://shop.example.com/sale?a=1&amp;b=2\"");
        assertThat(received.text()).doesNotContain("/t/c/").contains("Sale: " + SHOP + ".");
        JsonNode content = api.get("/api/campaigns/" + campaignId).json().get("content");
        assertThat(content.get("trackOpens").asBoolean()).isFalse();
        assertThat(content.get("trackClicks").asBoolean()).isFalse();
    }
}
