package io.herald.saga.channel;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real local HTTP server playing a Twilio-style provider. */
class SmsChannelTest {

    private HttpServer provider;
    private final List<String> forms = new CopyOnWriteArrayList<>();
    private final List<String> auths = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(201);
    private volatile long delayMillis;

    @BeforeEach
    void start() throws Exception {
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/2010-04-01/Accounts/AC123/Messages.json", exchange -> {
            forms.add(URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                                        StandardCharsets.UTF_8));
            auths.add(exchange.getRequestHeaders().getFirst("Authorization"));
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("{\"sid\":\"SM" + forms.size() + "\",\"status\":\"queued\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        provider.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        provider.start();
    }

    @AfterEach
    void stop() {
        provider.stop(0);
    }

    private SmsChannel channel() {
        return new SmsChannel("http://127.0.0.1:" + provider.getAddress().getPort() + "/2010-04-01", "AC123", "tok",
                              "+15005550006", Duration.ofMillis(500));
    }

    private static OutboundMessage sms(String to) {
        return new OutboundMessage("c1:k1", to, null, "Your code is 42 & more", null, null, null, null);
    }

    @Test
    void send_postsTheFormWithBasicAuth_andKeepsTheProviderId() {
        SendResult result = channel().send(sms("+447700900123"));
        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.SENT);
        assertThat(result.providerMessageId()).isEqualTo("SM1");
        assertThat(forms.get(0)).contains("To=+447700900123").contains("From=+15005550006")
                .contains("Body=Your code is 42 & more");
        assertThat(auths.get(0)).isEqualTo("Basic " + Base64.getEncoder().encodeToString("AC123:tok".getBytes()));
    }

    @Test
    void invalidNumbers_areRefusedWithoutCallingTheProvider() {
        assertThat(channel().send(sms("07700 900123")).outcome()).isEqualTo(SendResult.Outcome.PERMANENT_FAILURE);
        assertThat(forms).isEmpty();
    }

    @Test
    void providerErrors_andSilence_mapToTransientPermanentAndUnknown() {
        status.set(400);
        assertThat(channel().send(sms("+447700900123")).outcome()).isEqualTo(SendResult.Outcome.PERMANENT_FAILURE);
        status.set(503);
        assertThat(channel().send(sms("+447700900123")).outcome()).isEqualTo(SendResult.Outcome.TRANSIENT_FAILURE);
        status.set(201);
        delayMillis = 1500;
        // sent but not answered: never blindly repeated
        assertThat(channel().send(sms("+447700900123")).outcome()).isEqualTo(SendResult.Outcome.UNKNOWN);
    }
}
