package io.herald.saga.feedback;

import io.herald.api.common.DomainException;
import io.herald.api.feedback.ReceiveEmailFeedbackCommand;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailgunWebhooksTest {

    private static final String KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    private static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");
    private static final String DELIVERY = "0b5c9a57-7c9f-4a4e-8d64-1e4c2c1f0a11:6f1d2c3b-aaaa-4bbb-8ccc-123456789abc";
    private static final String MESSAGE_ID = "0b5c9a57-7c9f-4a4e-8d64-1e4c2c1f0a11.6f1d2c3b-aaaa-4bbb-8ccc-123456789abc"
            + "@herald.example.com";

    private final MailgunWebhooks webhooks = new MailgunWebhooks(KEY, Duration.ofMinutes(5));

    static String sign(String key, long timestamp, String token) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((timestamp + token).getBytes(StandardCharsets.UTF_8)));
    }

    static String body(String key, long timestamp, String token, String eventData) throws Exception {
        return "{\"signature\":{\"timestamp\":\"" + timestamp + "\",\"token\":\"" + token + "\",\"signature\":\""
                + sign(key, timestamp, token) + "\"},\"event-data\":" + eventData + "}";
    }

    static String failed(String id, String severity) {
        return "{\"id\":\"" + id + "\",\"event\":\"failed\",\"severity\":\"" + severity + "\",\"reason\":\"bounce\","
                + "\"timestamp\":1796691600.25,\"recipient\":\"ann@example.com\",\"message\":{\"headers\":"
                + "{\"message-id\":\"" + MESSAGE_ID + "\"}},\"delivery-status\":{\"code\":550,\"message\":"
                + "\"5.1.1 The email account that you tried to reach does not exist\"}}";
    }

    private static void assertUnsigned(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo(ReceiveEmailFeedbackCommand.SIGNATURE_INVALID);
            assertThat(e.kind()).isEqualTo(DomainException.Kind.UNAUTHENTICATED);
        });
    }

    @Test
    void aPermanentFailure_isAHardBounce_ofTheDeliveryInTheMessageId() throws Exception {
        MailgunWebhooks.Verified verified = webhooks.verify(
                body(KEY, NOW.getEpochSecond() - 30, "tok-1", failed("ev-1", "permanent")), NOW);
        assertThat(verified.token()).isEqualTo("tok-1");
        assertThat(verified.eventId()).isEqualTo("ev-1");
        FeedbackItem item = verified.items().get(0);
        assertThat(item.deliveryId()).isEqualTo(DELIVERY);
        assertThat(item.hard()).isTrue();
        assertThat(item.complaint()).isFalse();
        assertThat(item.feedbackId()).isEqualTo("ev-1");
        assertThat(item.type()).isEqualTo("permanent/bounce");
        assertThat(item.detail()).startsWith("550 5.1.1");
        assertThat(item.at()).isEqualTo(Instant.ofEpochSecond(1796691600L, 250_000_000L));
    }

    @Test
    void aTemporaryFailure_isASoftBounce_andAComplaint_aComplaint_andOtherEvents_nothing() throws Exception {
        long ts = NOW.getEpochSecond();
        assertThat(webhooks.verify(body(KEY, ts, "t2", failed("ev-2", "temporary")), NOW).items().get(0).hard())
                .isFalse();
        String complained = "{\"id\":\"ev-3\",\"event\":\"complained\",\"recipient\":\"ann@example.com\","
                + "\"user-variables\":{\"herald-delivery\":\"" + DELIVERY + "\"}}";
        FeedbackItem complaint = webhooks.verify(body(KEY, ts, "t3", complained), NOW).items().get(0);
        assertThat(complaint.complaint()).isTrue();
        assertThat(complaint.deliveryId()).isEqualTo(DELIVERY);
        String delivered = "{\"id\":\"ev-4\",\"event\":\"delivered\",\"recipient\":\"ann@example.com\"}";
        assertThat(webhooks.verify(body(KEY, ts, "t4", delivered), NOW).items()).isEmpty();
    }

    @Test
    void aWrongKey_aTamperedToken_orABadSignature_isRefused() throws Exception {
        long ts = NOW.getEpochSecond();
        assertUnsigned(() -> webhooks.verify(uncheck(() -> body("another-key", ts, "t", failed("e", "permanent"))), NOW));
        String signed = body(KEY, ts, "token-a", failed("e", "permanent"));
        assertUnsigned(() -> webhooks.verify(signed.replace("token-a", "token-b"), NOW));
        assertUnsigned(() -> webhooks.verify(signed.replace("\"timestamp\":\"" + ts, "\"timestamp\":\"" + (ts - 1)), NOW));
        assertUnsigned(() -> webhooks.verify(signed.replaceAll("\"signature\":\"[0-9a-f]+\"", "\"signature\":\"zz\""), NOW));
        assertUnsigned(() -> webhooks.verify("{\"event-data\":" + failed("e", "permanent") + "}", NOW));
    }

    @Test
    void staleOrFutureTimestamps_areRefused() throws Exception {
        assertUnsigned(() -> webhooks.verify(uncheck(() -> body(KEY, NOW.getEpochSecond() - 301, "t",
                                                                  failed("e", "permanent"))), NOW));
        assertUnsigned(() -> webhooks.verify(uncheck(() -> body(KEY, NOW.getEpochSecond() + 301, "t",
                                                                  failed("e", "permanent"))), NOW));
        assertThat(webhooks.verify(body(KEY, NOW.getEpochSecond() - 299, "t", failed("e", "permanent")), NOW)
                           .items()).hasSize(1);
    }

    @Test
    void malformedBodies_are400() throws Exception {
        for (String body : List.of("not json", "[]",
                                   body(KEY, NOW.getEpochSecond(), "t", "{\"event\":\"failed\"}"),
                                   body(KEY, NOW.getEpochSecond(), "t", "{\"id\":\"x\",\"event\":\"failed\"}"))) {
            assertThatThrownBy(() -> webhooks.verify(body, NOW)).isInstanceOfSatisfying(DomainException.class,
                    e -> assertThat(e.code()).isEqualTo(ReceiveEmailFeedbackCommand.MALFORMED));
        }
    }

    interface Checked<T> {
        T get() throws Exception;
    }

    private static <T> T uncheck(Checked<T> call) {
        try {
            return call.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
