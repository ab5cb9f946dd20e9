package io.herald.gateway.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Segment's own Java library ({@code com.segment.analytics.java:analytics}), unchanged but for its
 * endpoint, sends identify, track, page, screen, group and alias to a running Herald; what it sent
 * is then read back through Herald's REST API. The library posts to {@code /v1/import/} (trailing
 * slash), carries the write key only in the body ({@code "writeKey"}, no Authorization header), and
 * with the client its sample shows, gzips the body.
 */
class SegmentJavaLibraryIT extends IntegrationTest {

    @LocalServerPort
    int port;

    /** What the library saw: each message's outcome, and the headers of its requests. */
    private static final class Outcomes implements Callback {
        final CountDownLatch done;
        final List<String> failures = new CopyOnWriteArrayList<>();
        final Set<String> paths = ConcurrentHashMap.newKeySet();
        final Set<String> authorizations = ConcurrentHashMap.newKeySet();
        final Set<String> encodings = ConcurrentHashMap.newKeySet();

        Outcomes(int messages) {
            done = new CountDownLatch(messages);
        }

        @Override
        public void success(Message message) {
            done.countDown();
        }

        @Override
        public void failure(Message message, Throwable throwable) {
            failures.add(message.type() + ": " + throwable);
            done.countDown();
        }

        /** Sees each request as the library's client sends it (after the gzip interceptor, when there is one). */
        Interceptor recorder() {
            return chain -> {
                Request request = chain.request();
                paths.add(request.url().encodedPath());
                authorizations.add(String.valueOf(request.header("Authorization")));
                encodings.add(String.valueOf(request.header("Content-Encoding")));
                return chain.proceed(request);
            };
        }
    }

    /** Compresses request bodies, as the library's sample client does (streamed: no Content-Length). */
    private static Interceptor gzipBodies() {
        return chain -> {
            Request request = chain.request();
            RequestBody plain = request.body();
            if (plain == null) {
                return chain.proceed(request);
            }
            RequestBody gzipped = new RequestBody() {
                @Override
                public MediaType contentType() {
                    return plain.contentType();
                }

                @Override
                public long contentLength() {
                    return -1;
                }

                @Override
                public void writeTo(BufferedSink sink) throws IOException {
                    BufferedSink compressing = Okio.buffer(new GzipSink(sink));
                    plain.writeTo(compressing);
                    compressing.close();
                }
            };
            return chain.proceed(request.newBuilder().header("Content-Encoding", "gzip")
                                         .method(request.method(), gzipped).build());
        };
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void javaLibrary_asShipped_deliversEveryKindOfCall() throws Exception {
        Outcomes outcomes = new Outcomes(7);
        OkHttpClient client = new OkHttpClient.Builder().addNetworkInterceptor(outcomes.recorder()).build();
        String user = unique("java-lib");
        sendEveryKindOfCall(client, outcomes, user);

        assertThat(outcomes.paths).containsExactly("/v1/import/");
        assertThat(outcomes.authorizations).as("the library sends its write key in the body only").containsExactly("null");
        assertThat(outcomes.encodings).containsExactly("null");
        assertLanded(user);
    }

    @Test
    void javaLibrary_withItsSamplesGzipClient_deliversEveryKindOfCall() throws Exception {
        Outcomes outcomes = new Outcomes(7);
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(gzipBodies())
                .addNetworkInterceptor(outcomes.recorder()).build();
        String user = unique("java-lib-gzip");
        sendEveryKindOfCall(client, outcomes, user);

        assertThat(outcomes.paths).containsExactly("/v1/import/");
        assertThat(outcomes.encodings).containsExactly("gzip");
        assertLanded(user);
    }

    @Test
    void javaLibrary_withAnUnknownWriteKey_isRefused() throws Exception {
        Outcomes outcomes = new Outcomes(1);
        Analytics analytics = Analytics.builder("hk_unknown_0000000000000000")
                .endpoint("http://127.0.0.1:" + port)
                .client(new OkHttpClient.Builder().addNetworkInterceptor(outcomes.recorder()).build())
                .callback(outcomes)
                .build();
        try {
            analytics.enqueue(TrackMessage.builder("Refused").userId(unique("nobody")));
            analytics.flush();
            assertThat(outcomes.done.await(30, TimeUnit.SECONDS)).as("the library reported the outcome").isTrue();
        } finally {
            analytics.shutdown();
        }
        // a 4xx is final for the library: reported as a failure at once, not retried
        assertThat(outcomes.failures).hasSize(1);
        assertThat(outcomes.failures.get(0)).contains("auth.invalid-api-key");
    }

    private void sendEveryKindOfCall(OkHttpClient client, Outcomes outcomes, String user) throws InterruptedException {
        String writeKey = TestAuth.apiKey(new ApiClient(port), "events:write");
        String visitor = user + "-visitor";
        Analytics analytics = Analytics.builder(writeKey)
                .endpoint("http://127.0.0.1:" + port)
                .client(client)
                .callback(outcomes)
                .flushQueueSize(3) // several requests, not one
                .build();
        try {
            analytics.enqueue(TrackMessage.builder("Viewed Pricing").anonymousId(visitor));
            analytics.enqueue(IdentifyMessage.builder().userId(user)
                                      .traits(Map.of("email", user + "@example.com", "name", "Ada",
                                                     "address", Map.of("city", "Lyon"))));
            analytics.enqueue(TrackMessage.builder("Order Completed").userId(user)
                                      .properties(Map.of("total", 42.5, "currency", "EUR")));
            analytics.enqueue(PageMessage.builder("Pricing").userId(user).properties(Map.of("path", "/pricing")));
            analytics.enqueue(ScreenMessage.builder("Home").userId(user));
            analytics.enqueue(GroupMessage.builder("acme-" + user).userId(user)
                                      .traits(Map.of("name", "Acme", "plan", "enterprise")));
            analytics.enqueue(AliasMessage.builder(visitor).userId(user));
            analytics.flush();
            assertThat(outcomes.done.await(60, TimeUnit.SECONDS)).as("the library reported every message").isTrue();
        } finally {
            analytics.shutdown();
        }
        assertThat(outcomes.failures).as("messages the library could not deliver").isEmpty();
    }

    /** Read back as an operator sees it: the contact, its attributes and its timeline. */
    private void assertLanded(String user) {
        ApiClient api = TestAuth.asAdmin(new ApiClient(port));
        String contactId = SegmentLibraryLanding.contactLanded(api, user, "Ada", "Lyon");
        SegmentLibraryLanding.timelineLanded(api, contactId);
        JsonNode entries = api.get("/api/contacts/" + contactId + "/timeline").json().get("entries");
        for (JsonNode entry : entries) {
            JsonNode payload = entry.get("payload");
            if (entry.get("type").asText().equals("EventTracked")) {
                assertThat(payload.get("source").asText()).isEqualTo("segment");
                switch (payload.get("event").asText()) {
                    case "Order Completed" -> assertThat(payload.get("properties").get("total").asDouble()).isEqualTo(42.5);
                    case "Page Viewed" -> {
                        assertThat(payload.get("properties").get("name").asText()).isEqualTo("Pricing");
                        assertThat(payload.get("properties").get("path").asText()).isEqualTo("/pricing");
                    }
                    case "Screen Viewed" -> assertThat(payload.get("properties").get("name").asText()).isEqualTo("Home");
                    default -> {
                    }
                }
            }
        }
    }
}
