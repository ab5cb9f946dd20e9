package io.herald.saga.engagement;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackingTokensTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant SENT = Instant.parse("2026-03-01T12:00:00Z");

    private final TrackingTokens tokens = new TrackingTokens(SECRET);
    private final String contactId = UUID.randomUUID().toString();
    private final String campaignId = UUID.randomUUID().toString();
    private final TrackingTokens.Send campaignSend = TrackingTokens.Send.ofCampaign(campaignId, contactId, SENT, true);

    @Test
    void openToken_verifiesToTheSend_andIsShort() {
        String token = tokens.openToken(campaignSend);

        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+").hasSizeLessThan(100);
        TrackingTokens.Verified verified = tokens.verify(token).orElseThrow();
        assertThat(verified.click()).isFalse();
        assertThat(verified.link()).isNull();
        assertThat(verified.send()).isEqualTo(campaignSend);
        assertThat(verified.send().deliveryId()).isEqualTo(campaignId + ":" + contactId);
    }

    @Test
    void clickToken_signsTheTargetUrl_andTheLinksNumber() {
        String url = "https://shop.example.com/sale?utm_source=herald&x=ä#top";

        TrackingTokens.Verified verified = tokens.verify(tokens.clickToken(campaignSend, 2, 5, url)).orElseThrow();

        assertThat(verified.click()).isTrue();
        assertThat(verified.link()).isEqualTo(url);
        assertThat(verified.linkIndex()).isEqualTo(2);
        assertThat(verified.links()).isEqualTo(5);
        assertThat(verified.send()).isEqualTo(campaignSend);
    }

    @Test
    void aFlowSend_keepsItsFlowRunAndNode_andIdsThatAreNotUuids() {
        String flowId = UUID.randomUUID().toString();
        String runId = UUID.randomUUID().toString();
        TrackingTokens.Send send = TrackingTokens.Send.ofFlow(flowId, runId, "welcome-mail", "Contact-42", SENT, false);

        TrackingTokens.Verified verified = tokens.verify(tokens.openToken(send)).orElseThrow();

        assertThat(verified.send()).isEqualTo(send);
        assertThat(verified.send().deliveryId()).isEqualTo(runId + ":welcome-mail");
        assertThat(verified.send().pixel()).isFalse();
    }

    @Test
    void everyChangedCharacter_isRefused() {
        String token = tokens.clickToken(campaignSend, 0, 1, "https://example.com/a");
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String changed = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertThat(tokens.verify(changed)).as("changed at %d", i).isEmpty();
        }
    }

    @Test
    void cutForgedOrForeignTokens_areRefused_neverThrown() {
        String token = tokens.clickToken(campaignSend, 0, 1, "https://example.com/a");
        String payload = token.substring(0, token.indexOf('.'));
        byte[] bytes = Base64.getUrlDecoder().decode(payload);
        String evil = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(bytes, StandardCharsets.ISO_8859_1).replace("example.com", "evil.test!!")
                        .getBytes(StandardCharsets.ISO_8859_1));
        TrackingTokens other = new TrackingTokens("another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8));

        assertThat(tokens.verify(token.substring(0, token.length() - 1))).isEmpty();
        assertThat(tokens.verify(token.substring(0, 20))).isEmpty();
        assertThat(tokens.verify(evil + token.substring(token.indexOf('.')))).as("another target, same MAC").isEmpty();
        assertThat(tokens.verify(other.clickToken(campaignSend, 0, 1, "https://example.com/a"))).isEmpty();
        assertThat(tokens.verify(token + "=")).as("non-canonical base64").isEmpty();
        for (String garbage : new String[]{null, "", ".", "a.b", "..", "x".repeat(5000), "AAAA.AAAA", token + ".x"}) {
            assertThat(tokens.verify(garbage)).as(String.valueOf(garbage)).isEmpty();
        }
    }

    @Test
    void tokens_refuseWhatTheyCannotSign() {
        assertThatThrownBy(() -> tokens.clickToken(campaignSend, 1, 1, "https://example.com"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.clickToken(campaignSend, 0, 1, "https://example.com/" + "a".repeat(3000)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.openToken(new TrackingTokens.Send(contactId, null, null, null, null, SENT, true)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrackingTokens(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
