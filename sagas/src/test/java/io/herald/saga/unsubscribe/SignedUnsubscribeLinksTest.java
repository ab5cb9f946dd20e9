package io.herald.saga.unsubscribe;

import io.herald.api.campaign.Channel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignedUnsubscribeLinksTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final SignedUnsubscribeLinks links = new SignedUnsubscribeLinks("https://herald.example.com/", SECRET, CLOCK);
    private final String contactId = UUID.randomUUID().toString();
    private final String campaignId = UUID.randomUUID().toString();

    @Test
    void urlFor_isThePublicUrlWithASignedToken_thatVerifiesToWhatWasSigned() {
        String url = links.urlFor(contactId, Channel.EMAIL, campaignId);

        assertThat(url).startsWith("https://herald.example.com/unsubscribe/");
        String token = url.substring("https://herald.example.com/unsubscribe/".length());
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(url.length()).as("short enough for a List-Unsubscribe header").isLessThan(150);
        assertThat(links.verify(token)).contains(new SignedUnsubscribeLinks.Link(contactId, Channel.EMAIL, campaignId, NOW));
    }

    @Test
    void verify_keepsEveryChannel_andIdsThatAreNotUuids_andAMissingCampaign() {
        for (Channel channel : Channel.values()) {
            assertThat(links.verify(links.token(contactId, channel, null)))
                    .contains(new SignedUnsubscribeLinks.Link(contactId, channel, null, NOW));
        }
        assertThat(links.verify(links.token("Contact-42", Channel.SMS, "flow:welcome")))
                .contains(new SignedUnsubscribeLinks.Link("Contact-42", Channel.SMS, "flow:welcome", NOW));
        String upper = contactId.toUpperCase();
        assertThat(links.verify(links.token(upper, Channel.EMAIL, campaignId)).orElseThrow().contactId()).isEqualTo(upper);
    }

    @Test
    void verify_acceptsOldTokens_theyNeverExpire() {
        var old = new SignedUnsubscribeLinks("https://herald.example.com", SECRET,
                                             Clock.fixed(Instant.parse("2015-01-01T00:00:00Z"), ZoneOffset.UTC));
        String token = old.token(contactId, Channel.EMAIL, campaignId);

        assertThat(links.verify(token)).map(SignedUnsubscribeLinks.Link::issuedAt)
                .contains(Instant.parse("2015-01-01T00:00:00Z"));
    }

    @Test
    void verify_refusesEveryChangedCharacter() {
        String token = links.token(contactId, Channel.EMAIL, campaignId);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                continue;
            }
            char other = alphabet.charAt((alphabet.indexOf(token.charAt(i)) + 1) % alphabet.length());
            String tampered = token.substring(0, i) + other + token.substring(i + 1);
            assertThat(links.verify(tampered)).as("changed at %d: %s", i, tampered).isEmpty();
        }
    }

    @Test
    void verify_refusesAPayloadResignedForAnotherContact_orSignedWithAnotherSecret() {
        String token = links.token(contactId, Channel.EMAIL, campaignId);
        String signature = token.substring(token.indexOf('.') + 1);
        String otherPayload = links.token(UUID.randomUUID().toString(), Channel.EMAIL, campaignId);
        String swapped = otherPayload.substring(0, otherPayload.indexOf('.')) + "." + signature;
        assertThat(links.verify(swapped)).isEmpty();

        var otherInstallation = new SignedUnsubscribeLinks("https://herald.example.com",
                                                           "another secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8), CLOCK);
        assertThat(otherInstallation.verify(token)).isEmpty();
    }

    @Test
    void verify_refusesMalformedTokens() {
        String token = links.token(contactId, Channel.EMAIL, campaignId);
        String payload = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);

        assertThat(links.verify(null)).isEmpty();
        assertThat(links.verify("")).isEmpty();
        assertThat(links.verify("nodot")).isEmpty();
        assertThat(links.verify("." + signature)).isEmpty();
        assertThat(links.verify(payload + ".")).isEmpty();
        assertThat(links.verify(payload)).isEmpty();
        assertThat(links.verify(token + ".x")).isEmpty();
        assertThat(links.verify(token + "=")).as("padding is not the canonical form").isEmpty();
        assertThat(links.verify(payload + "." + signature.substring(0, 20))).as("truncated MAC").isEmpty();
        assertThat(links.verify(payload + "!." + signature)).isEmpty();
        assertThat(links.verify(token + "A".repeat(2000))).isEmpty();
        // a MAC over the bytes alone, without the secret, is no signature
        byte[] raw = Base64.getUrlDecoder().decode(payload);
        assertThat(links.verify(payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(raw))).isEmpty();
    }

    @Test
    void secret_mustHaveAtLeast32Bytes() {
        assertThatThrownBy(() -> new SignedUnsubscribeLinks("https://x", "short".getBytes(StandardCharsets.UTF_8), CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UnsubscribeSecret.resolve("too short", null)).isInstanceOf(IllegalStateException.class);
        assertThat(UnsubscribeSecret.resolve("a configured secret of 32+ characters", null))
                .isEqualTo("a configured secret of 32+ characters".getBytes(StandardCharsets.UTF_8));
    }
}
