package io.herald.saga.channel;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real local HTTP server playing the receiver. */
class WebhookChannelTest {

    record Received(String path, com.sun.net.httpserver.Headers headers, String body) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile long delayMillis;
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), body));
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private WebhookChannel channel(boolean allowPrivate) {
        return new WebhookChannel("s3cret", Duration.ofSeconds(2), Duration.ofMillis(500),
                                  new OutboundUrlGuard(allowPrivate), clock);
    }

    private OutboundMessage message() {
        return new OutboundMessage("camp-1:contact-9", url(), null, null, null, "{\"hello\":\"world\"}", null,
                                   Map.of("Campaign-Id", "camp-1"));
    }

    @Test
    void send_postsSignedJsonWithIdempotencyKey() {
        SendResult result = channel(true).send(message());
        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.SENT);
        Received request = received.get(0);
        assertThat(request.body()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(request.headers().getFirst("Idempotency-Key")).isEqualTo("camp-1:contact-9");
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(request.headers().getFirst("Herald-Campaign-Id")).isEqualTo("camp-1");
        String expected = WebhookChannel.signature("s3cret".getBytes(StandardCharsets.UTF_8),
                                                   clock.instant().getEpochSecond(), request.body());
        assertThat(request.headers().getFirst("Herald-Signature")).isEqualTo(expected).startsWith("t=" + clock.instant().getEpochSecond() + ",v1=");
    }

    @Test
    void statusCodes_mapToSentPermanentOrTransient() {
        status.set(404);
        assertThat(channel(true).send(message()).outcome()).isEqualTo(SendResult.Outcome.PERMANENT_FAILURE);
        status.set(503);
        assertThat(channel(true).send(message()).outcome()).isEqualTo(SendResult.Outcome.TRANSIENT_FAILURE);
        status.set(429);
        assertThat(channel(true).send(message()).outcome()).isEqualTo(SendResult.Outcome.TRANSIENT_FAILURE);
        status.set(202);
        assertThat(channel(true).send(message()).outcome()).isEqualTo(SendResult.Outcome.SENT);
    }

    @Test
    void slowReceiver_isATransientFailure_retriedUnderTheSameKey() {
        delayMillis = 1500;
        SendResult result = channel(true).send(message());
        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.TRANSIENT_FAILURE);
        assertThat(result.error()).contains("no answer");
    }

    @Test
    void internalTargets_areRefusedUnlessAllowed() {
        SendResult result = channel(false).send(message());
        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.PERMANENT_FAILURE);
        assertThat(result.error()).contains("internal address");
        assertThat(received).isEmpty();
    }
}
