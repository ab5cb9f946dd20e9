package io.herald.saga.channel;

import io.herald.api.campaign.Channel;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * POSTs the JSON payload to the campaign's URL with an {@code Idempotency-Key} (campaign id +
 * contact id) and {@code Herald-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}.
 * 2xx is sent; 4xx (but 408 and 429) is permanent; 5xx, 408, 429, refused connections and timeouts
 * are transient (the receiver deduplicates retries on the key). With tracing on, a {@code traceparent} header
 * names the span the request was sent under.
 */
public final class WebhookChannel implements ChannelAdapter {

    public static final String SIGNATURE_HEADER = "Herald-Signature";

    private final HttpClient client;
    private final byte[] secret;
    private final Duration timeout;
    private final OutboundUrlGuard guard;
    private final Clock clock;

    public WebhookChannel(String signingSecret, Duration connectTimeout, Duration timeout, OutboundUrlGuard guard,
                          Clock clock) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.secret = signingSecret.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public Channel channel() {
        return Channel.WEBHOOK;
    }

    /** The signature header value for a body sent at {@code epochSeconds}. */
    public static String signature(byte[] secret, long epochSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SendResult send(OutboundMessage message) {
        URI uri;
        try {
            uri = URI.create(message.to());
        } catch (IllegalArgumentException e) {
            return SendResult.permanentFailure("invalid webhook URL");
        }
        Optional<String> refused = guard.refusal(uri);
        if (refused.isPresent()) {
            return SendResult.permanentFailure("webhook URL refused: " + refused.get());
        }
        String body = message.payload() == null ? "{}" : message.payload();
        long now = clock.instant().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Herald-Webhook/1")
                .header("Idempotency-Key", message.idempotencyKey())
                .header(SIGNATURE_HEADER, signature(secret, now, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        message.metadata().forEach((name, value) -> request.header("Herald-" + name, value));
        // the trace this send belongs to (its client span, or its batch's), when tracing is on and there is one
        W3CTraceContextPropagator.getInstance().inject(Context.current(), request, HttpRequest.Builder::header);
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            String providerId = response.headers().firstValue("X-Request-Id").orElse(null);
            if (status >= 200 && status < 300) {
                return SendResult.sent(providerId);
            }
            if (status == 408 || status == 429 || status >= 500) {
                return SendResult.transientFailure("HTTP " + status);
            }
            return SendResult.permanentFailure("HTTP " + status);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return SendResult.transientFailure("could not connect: " + e.getClass().getSimpleName());
        } catch (HttpTimeoutException e) {
            // the request may have arrived: a retry with the same Idempotency-Key is safe for webhooks
            return SendResult.transientFailure("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return SendResult.transientFailure("I/O error: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.unknown("interrupted while sending");
        }
    }
}
