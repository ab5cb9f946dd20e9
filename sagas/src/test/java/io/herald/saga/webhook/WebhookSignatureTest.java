package io.herald.saga.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Standard Webhooks signature, checked against a vector computed outside Java, and the AES-GCM secret store. */
class WebhookSignatureTest {

    /** whsec_ + base64 of the bytes 0x00..0x1f. */
    private static final String SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    private static final long TIMESTAMP = 1674087231L;
    private static final String BODY = "{\"type\":\"contact.created\",\"timestamp\":\"2026-12-07T10:00:00Z\","
            + "\"data\":{\"contactId\":\"c-1\"}}";
    /**
     * Computed with OpenSSL, not with this code:
     * <pre>
     * printf '%s' 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1674087231.{"type":"contact.created","timestamp":"2026-12-07T10:00:00Z","data":{"contactId":"c-1"}}' \
     *   | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f -binary | base64
     * </pre>
     */
    private static final String EXPECTED = "v1,LGQr2Q63cN1MVqn2ma3o5rtnyTMTNrl6Shf9awXR0IU=";

    @Test
    void signature_matchesAVectorComputedWithOpenSsl() {
        assertThat(WebhookSignature.sign(WebhookSignature.keyOf(SECRET), ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
    }

    @Test
    void twoKeys_giveTwoSignatures_spaceSeparated_currentFirst() {
        byte[] current = WebhookSignature.keyOf(SECRET);
        byte[] previous = WebhookSignature.keyOf(WebhookSignature.newSecret());
        String header = WebhookSignature.header(List.of(current, previous), ID, TIMESTAMP, BODY);
        String[] parts = header.split(" ");
        assertThat(parts).hasSize(2);
        assertThat(parts[0]).isEqualTo(EXPECTED);
        assertThat(parts[1]).startsWith("v1,").isNotEqualTo(EXPECTED);
    }

    @Test
    void newSecrets_areWhsecAndThirtyTwoRandomBytes() {
        String a = WebhookSignature.newSecret();
        assertThat(a).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(32);
        assertThat(WebhookSignature.newSecret()).isNotEqualTo(a);
    }

    @Test
    void cipher_roundTrips_andRefusesAnotherRowsCiphertext() {
        SecretCipher cipher = new SecretCipher(new byte[32]);
        byte[] sealed = cipher.encrypt(SECRET.getBytes(StandardCharsets.UTF_8), "sub-1");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("whsec_");
        assertThat(new String(cipher.decrypt(sealed, "sub-1"), StandardCharsets.UTF_8)).isEqualTo(SECRET);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cipher.decrypt(sealed, "sub-2"))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("whsec_");
        assertThat(cipher.encrypt(SECRET.getBytes(StandardCharsets.UTF_8), "sub-1")).isNotEqualTo(sealed);
    }
}
