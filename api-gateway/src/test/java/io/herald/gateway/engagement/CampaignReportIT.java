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
import jakarta.mail.internet.MimeMessage;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The campaign report end to end: an e-mail campaign sent to GreenMail, its pixels and links fetched over HTTP as a
 * person and as machines (an image proxy, a scanner), the report read as JSON and CSV, and read again after the
 * campaign-report read model is rebuilt from the event store.
 */
class CampaignReportIT {

    private static final String SHOP = "https://shop.example.com/sale?a=1&b=2";
    private static final String NEWS = "https://shop.example.com/news";
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/120.0 Safari/537.36";
    private static final String GOOGLE_PROXY = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 "
            + "(via ggpht.com GoogleImageProxy)";
    private static final Pattern PIXEL = Pattern.compile("/t/o/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern CLICK = Pattern.compile("/t/c/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SETTINGS = {
            "herald.delivery.worker.poll-interval=100ms",
            // the test fetches right after the send: the time rule is MachineTrafficTest's
            "herald.engagement.machine-window=0s"};

    static String database;
    static HeraldInstance herald;
    static ApiClient api;
    static GreenMail mail;
    static HttpClient http;

    @BeforeAll
    static void start() {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        database = TestDatabases.newDatabase();
        herald = launchHerald();
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static HeraldInstance launchHerald(String... more) {
        List<String> settings = new ArrayList<>(List.of(SETTINGS));
        settings.add("spring.mail.host=127.0.0.1");
        settings.add("spring.mail.port=" + mail.getSmtp().getPort());
        settings.addAll(List.of(more));
        HeraldInstance instance = HeraldInstance.start(database, settings.toArray(String[]::new));
        api = TestAuth.asAdmin(instance.api());
        return instance;
    }

    @AfterAll
    static void stop() {
        if (herald != null) {
            herald.close();
        }
        mail.stop();
    }

    private static String createCampaign(String audience) throws Exception {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("subject", "Hi {{ first_name }}");
        content.put("body", "Hi {{ first_name }}\nUnsubscribe: {{ unsubscribe_url }}");
        content.put("html", "<html><body><p>Hi {{ first_name }}</p><a href=\"https://shop.example.com/sale?a=1&amp;b=2\">"
                + "Sale</a> <a href=\"" + NEWS + "\">News</a> <a href=\"{{ unsubscribe_url }}\">Unsubscribe</a>"
                + "</body></html>");
        Map<String, Object> campaign = Map.of("name", "Report " + audience, "channel", "EMAIL", "content", content,
                                              "segmentId", CampaignApiITSupport.segment(api, audience));
        var created = api.post("/api/campaigns", JSON.writeValueAsString(campaign));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static String contact(String audience) {
        String address = "r" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        var contact = api.post("/api/contacts", "{\"email\":\"" + address + "\",\"attributes\":{\"audience\":\""
                + audience + "\",\"first_name\":\"Ann\"}}");
        assertThat(contact.status()).as(contact.toString()).isIn(200, 201);
        return address;
    }

    private static String html(String address) throws Exception {
        List<MimeMessage> messages = Mailbox.to(mail, address);
        assertThat(messages).hasSize(1);
        StringBuilder html = new StringBuilder();
        collectHtml(messages.get(0), html);
        return html.toString();
    }

    private static void collectHtml(jakarta.mail.Part part, StringBuilder html) throws Exception {
        Object content = part.getContent();
        if (content instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                collectHtml(multipart.getBodyPart(i), html);
            }
        } else if (content instanceof String text && part.isMimeType("text/html")) {
            html.append(text);
        }
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    private static HttpResponse<String> fetch(String path, String userAgent) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + path))
                .header("User-Agent", userAgent).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode link(JsonNode report, String url) {
        for (JsonNode link : report.get("links")) {
            if (link.get("url").asText().equals(url)) {
                return link;
            }
        }
        throw new AssertionError("no link " + url + " in " + report);
    }

    private static void assertEngagement(JsonNode node, long uniqueHuman, long uniqueAll, long totalHuman, long totalAll) {
        assertThat(node.get("uniqueHuman").asLong()).as("uniqueHuman of %s", node).isEqualTo(uniqueHuman);
        assertThat(node.get("uniqueAll").asLong()).as("uniqueAll of %s", node).isEqualTo(uniqueAll);
        assertThat(node.get("totalHuman").asLong()).as("totalHuman of %s", node).isEqualTo(totalHuman);
        assertThat(node.get("totalAll").asLong()).as("totalAll of %s", node).isEqualTo(totalAll);
    }

    @Test
    void report_countsDeliveriesOpensAndClicks_asJsonAndCsv_andARebuildFromHistoryGivesTheSameReport() throws Exception {
        String audience = "report-" + UUID.randomUUID();
        String ann = contact(audience);
        String bob = contact(audience);
        contact(audience); // the third opens nothing
        String campaignId = createCampaign(audience);
        assertThat(api.post("/api/campaigns/" + campaignId + "/launch", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                api.get("/api/campaigns/" + campaignId).json().get("status").asText()).isEqualTo("COMPLETED"));

        // Ann opens twice and clicks the sale twice, in a browser
        String annHtml = html(ann);
        String annPixel = all(PIXEL, annHtml).get(0);
        List<String> annLinks = all(CLICK, annHtml);
        assertThat(annLinks).hasSize(2);
        assertThat(fetch(annPixel, BROWSER).statusCode()).isEqualTo(200);
        assertThat(fetch(annPixel, BROWSER).statusCode()).isEqualTo(200);
        HttpResponse<String> sale = fetch(annLinks.get(0), BROWSER);
        assertThat(sale.headers().firstValue("Location")).hasValue(SHOP);
        assertThat(fetch(annLinks.get(0), BROWSER).statusCode()).isEqualTo(302);
        // Bob's image proxy fetches the pixel, a scanner follows the news link
        String bobHtml = html(bob);
        assertThat(fetch(all(PIXEL, bobHtml).get(0), GOOGLE_PROXY).statusCode()).isEqualTo(200);
        HttpResponse<String> news = fetch(all(CLICK, bobHtml).get(1), "python-requests/2.31");
        assertThat(news.headers().firstValue("Location")).hasValue(NEWS);

        var response = api.get("/api/campaigns/" + campaignId + "/report");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode report = response.json();
        assertThat(report.get("campaignId").asText()).isEqualTo(campaignId);
        assertThat(report.get("audience").asLong()).isEqualTo(3);
        assertThat(report.get("sent").asLong()).isEqualTo(3);
        assertThat(report.get("failed").asLong()).isZero();
        assertThat(report.get("skipped").asLong()).isZero();
        assertThat(report.get("unknown").asLong()).isZero();
        assertEngagement(report.get("opened"), 1, 2, 2, 3);
        assertEngagement(report.get("clicked"), 1, 2, 2, 3);
        assertThat(report.get("clickThroughRate").get("human").asDouble()).isEqualTo(0.3333);
        assertThat(report.get("clickThroughRate").get("all").asDouble()).isEqualTo(0.6667);
        assertThat(report.get("clickToOpenRate").get("human").asDouble()).isEqualTo(1.0);
        assertThat(report.get("clickToOpenRate").get("all").asDouble()).isEqualTo(1.0);
        assertThat(report.get("unsubscribed").asLong()).isZero();
        assertThat(report.get("bounced").asLong()).isZero();
        assertThat(report.get("complained").asLong()).isZero();
        assertThat(report.get("notRecorded").toString()).isEqualTo("[\"unsubscribed\"]");
        assertThat(report.get("links")).hasSize(2);
        assertEngagement(link(report, SHOP), 1, 1, 2, 2);
        assertEngagement(link(report, NEWS), 0, 1, 0, 1);
        assertThat(link(report, SHOP).get("index").asInt()).isZero();
        assertThat(link(report, NEWS).get("index").asInt()).isEqualTo(1);

        // over time: hour buckets from the launch's hour, holding every open and click
        Instant launched = Instant.parse(report.get("launchedAt").asText());
        JsonNode buckets = report.get("overTime");
        assertThat(buckets.size()).isBetween(1, 2); // 2 if the hour turned during the test
        assertThat(Instant.parse(buckets.get(0).get("start").asText())).isEqualTo(launched.truncatedTo(ChronoUnit.HOURS));
        long opens = 0;
        long humanOpens = 0;
        long clicks = 0;
        long uniqueClickers = 0;
        for (JsonNode bucket : buckets) {
            assertThat(bucket.get("unit").asText()).isEqualTo("HOUR");
            opens += bucket.get("opened").get("totalAll").asLong();
            humanOpens += bucket.get("opened").get("totalHuman").asLong();
            clicks += bucket.get("clicked").get("totalAll").asLong();
            uniqueClickers += bucket.get("clicked").get("uniqueAll").asLong();
        }
        assertThat(List.of(opens, humanOpens, clicks, uniqueClickers)).containsExactly(3L, 2L, 3L, 2L);

        // CSV, by parameter and by Accept
        var csv = api.get("/api/campaigns/" + campaignId + "/report?format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("campaign-" + campaignId + "-report.csv");
        assertThat(csv.body()).startsWith("metric,human,all\r\naudience,3,3\r\nsent,3,3\r\n")
                .contains("opened_unique,1,2\r\nopened_total,2,3\r\nclicked_unique,1,2\r\nclicked_total,2,3\r\n")
                .contains("click_through_rate,0.3333,0.6667\r\nclick_to_open_rate,1.0,1.0\r\n")
                .contains("\r\nlink_index,url,unique_human,unique_all,total_human,total_all\r\n"
                                  + "0,https://shop.example.com/sale?a=1&b=2,1,1,2,2\r\n"
                                  + "1,https://shop.example.com/news,0,1,0,1\r\n");
        var accepted = api.send("GET", "/api/campaigns/" + campaignId + "/report", null, null,
                                Map.of("Accept", "text/csv"));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo(csv.body());
        assertThat(api.get("/api/campaigns/" + campaignId + "/report?format=xml").status()).isEqualTo(400);

        // rebuilt from the event store: first over the counters as they are (each event is counted once), then
        // from empty tables; both give the same report
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(database));
        herald.close();
        herald = null;
        herald = launchHerald("axon.eventhandling.processors.campaign-report.mode=pooled");
        awaitCaughtUp(herald);
        assertThat(api.get("/api/campaigns/" + campaignId + "/report").json()).isEqualTo(report);

        herald.close();
        herald = null;
        jdbc.update("truncate campaign_report_mark, campaign_report, campaign_report_hour, campaign_report_link");
        jdbc.update("delete from token_entry where processor_name = 'campaign-report'");
        assertThat(jdbc.queryForObject("select count(*) from campaign_report", Long.class)).isZero();
        herald = launchHerald("axon.eventhandling.processors.campaign-report.mode=pooled");
        awaitCaughtUp(herald);
        assertThat(api.get("/api/campaigns/" + campaignId + "/report").json()).isEqualTo(report);

        // back to subscribing: new opens are counted in the recording request again
        herald.close();
        herald = null;
        herald = launchHerald();
        assertThat(fetch(annPixel, BROWSER).statusCode()).isEqualTo(200);
        assertEngagement(api.get("/api/campaigns/" + campaignId + "/report").json().get("opened"), 1, 2, 3, 4);
    }

    private static void awaitCaughtUp(HeraldInstance instance) {
        PooledStreamingEventProcessor processor = instance.bean(EventProcessingConfiguration.class)
                .eventProcessor("campaign-report", PooledStreamingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<Integer, EventTrackerStatus> status = processor.processingStatus();
            return status.size() == 2 && status.values().stream().allMatch(EventTrackerStatus::isCaughtUp);
        });
    }

    @Test
    void aCampaignNotLaunched_answersZeros_andAnUnknownCampaign_404ProblemJson() throws Exception {
        String campaignId = createCampaign("never-" + UUID.randomUUID());

        JsonNode report = api.get("/api/campaigns/" + campaignId + "/report").json();
        assertThat(report.hasNonNull("launchedAt")).as("null fields are left out").isFalse();
        assertThat(report.get("audience").asLong()).isZero();
        assertThat(report.get("sent").asLong()).isZero();
        assertEngagement(report.get("opened"), 0, 0, 0, 0);
        assertEngagement(report.get("clicked"), 0, 0, 0, 0);
        assertThat(report.get("clickThroughRate").hasNonNull("all")).isFalse();
        assertThat(report.get("clickToOpenRate").hasNonNull("human")).isFalse();
        assertThat(report.get("overTime")).isEmpty();
        assertThat(report.get("links")).isEmpty();

        var missing = api.get("/api/campaigns/" + UUID.randomUUID() + "/report");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.body()).contains("campaign.not-found");
    }
}
