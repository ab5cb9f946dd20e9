package io.herald.saga.engagement;

import io.herald.api.campaign.CampaignContent;
import io.herald.saga.channel.OutboundMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class EmailTrackingTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String BASE = "https://herald.example.com";
    private static final Pattern CLICK = Pattern.compile(Pattern.quote(BASE + "/t/c/") + "([A-Za-z0-9_.-]+)");
    private static final Pattern OPEN = Pattern.compile(Pattern.quote(BASE + "/t/o/") + "([A-Za-z0-9_.-]+)");

    private final TrackingTokens tokens = new TrackingTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private final EmailTracking tracking = new EmailTracking(BASE + "/", tokens, Clock.fixed(NOW, ZoneOffset.UTC));
    private final String campaignId = UUID.randomUUID().toString();
    private final String contactId = UUID.randomUUID().toString();
    private final String unsubscribe = BASE + "/unsubscribe/abc.def";

    private OutboundMessage message(String text, String html) {
        return new OutboundMessage(campaignId + ":" + contactId, "a@example.com", "Hi", text, html, null, unsubscribe,
                                   Map.of("campaignId", campaignId));
    }

    private static CampaignContent content(Boolean opens, Boolean clicks) {
        return new CampaignContent("Hi", "t", "h", null, null, opens, clicks);
    }

    @Test
    void trackedByDefault_linksGoThroughSignedRedirects_thePixelIsAdded_theUnsubscribeLinkStays() {
        OutboundMessage sent = tracking.forCampaign(
                message("Shop: https://shop.example.com/a\nLeave: " + unsubscribe,
                        "<body><a href=\"https://shop.example.com/a\">Shop</a> <a href=\"" + unsubscribe + "\">Leave</a>"
                                + "</body>"),
                campaignId, contactId, content(null, null));

        assertThat(sent.html()).doesNotContain("https://shop.example.com/a").contains("href=\"" + unsubscribe + "\"");
        assertThat(sent.text()).doesNotContain("https://shop.example.com/a").contains("Leave: " + unsubscribe);
        Matcher htmlLink = CLICK.matcher(sent.html());
        assertThat(htmlLink.find()).isTrue();
        TrackingTokens.Verified click = tokens.verify(htmlLink.group(1)).orElseThrow();
        assertThat(click.link()).isEqualTo("https://shop.example.com/a");
        assertThat(click.links()).isEqualTo(1);
        assertThat(click.send()).isEqualTo(TrackingTokens.Send.ofCampaign(campaignId, contactId, NOW, true));
        Matcher textLink = CLICK.matcher(sent.text());
        assertThat(textLink.find()).isTrue();
        assertThat(tokens.verify(textLink.group(1)).orElseThrow().linkIndex()).isZero();

        Matcher pixel = OPEN.matcher(sent.html());
        assertThat(pixel.find()).isTrue();
        assertThat(sent.html()).endsWith("\"></body>");
        TrackingTokens.Verified open = tokens.verify(pixel.group(1)).orElseThrow();
        assertThat(open.click()).isFalse();
        assertThat(open.send().deliveryId()).isEqualTo(campaignId + ":" + contactId);
        assertThat(sent.unsubscribeUrl()).isEqualTo(unsubscribe);
        assertThat(sent.idempotencyKey()).isEqualTo(campaignId + ":" + contactId);
    }

    @Test
    void switchedOff_theMessageIsUnchanged() {
        OutboundMessage message = message("https://shop.example.com/a", "<a href=\"https://shop.example.com/a\">x</a>");

        assertThat(tracking.forCampaign(message, campaignId, contactId, content(false, false))).isSameAs(message);

        OutboundMessage opensOnly = tracking.forCampaign(message, campaignId, contactId, content(true, false));
        assertThat(opensOnly.text()).isEqualTo(message.text());
        assertThat(opensOnly.html()).contains("href=\"https://shop.example.com/a\"").containsPattern(OPEN);

        OutboundMessage clicksOnly = tracking.forCampaign(message, campaignId, contactId, content(false, true));
        assertThat(clicksOnly.html()).doesNotContainPattern(OPEN).containsPattern(CLICK);
        Matcher link = CLICK.matcher(clicksOnly.html());
        assertThat(link.find()).isTrue();
        assertThat(tokens.verify(link.group(1)).orElseThrow().send().pixel()).as("no pixel: clicks before opens are fine")
                .isFalse();
    }

    @Test
    void aTextOnlyEmail_getsNoPixel_butItsLinksAreTracked() {
        OutboundMessage sent = tracking.forCampaign(message("Go https://shop.example.com/b", null), campaignId, contactId,
                                                    content(null, null));

        assertThat(sent.html()).isNull();
        assertThat(sent.text()).containsPattern(CLICK);
        Matcher link = CLICK.matcher(sent.text());
        assertThat(link.find()).isTrue();
        assertThat(tokens.verify(link.group(1)).orElseThrow().send().pixel()).isFalse();
    }

    @Test
    void linksBeyondWhatATokenCanNumber_areLeftAsWritten() {
        StringBuilder html = new StringBuilder();
        for (int i = 0; i <= EmailTracking.MAX_LINKS; i++) {
            html.append("<a href=\"https://x.example.com/").append(i).append("\">x</a>");
        }

        OutboundMessage sent = tracking.forCampaign(message(null, html.toString()), campaignId, contactId,
                                                    content(false, null));

        assertThat(CLICK.matcher(sent.html()).results().count()).isEqualTo(EmailTracking.MAX_LINKS);
        assertThat(sent.html()).contains("href=\"https://x.example.com/" + EmailTracking.MAX_LINKS + "\"")
                .doesNotContain("href=\"https://x.example.com/0\"");
    }

    @Test
    void aFlowsEmail_namesItsFlowRunAndNode() {
        String flowId = UUID.randomUUID().toString();
        String runId = UUID.randomUUID().toString();

        OutboundMessage sent = tracking.forFlow(message(null, "<p>Hi</p>"), flowId, runId, "welcome", contactId,
                                                content(null, null));

        Matcher pixel = OPEN.matcher(sent.html());
        assertThat(pixel.find()).isTrue();
        assertThat(tokens.verify(pixel.group(1)).orElseThrow().send())
                .isEqualTo(TrackingTokens.Send.ofFlow(flowId, runId, "welcome", contactId, NOW, true));
    }
}
