package io.herald.gateway.delivery;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server receiving webhooks: records each request, answers what the test says. */
public final class WebhookSink implements AutoCloseable {

    public record Received(String path, String idempotencyKey, String signature, String body, long at,
                           String traceparent) {
    }

    private final HttpServer server;
    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
    /** Status to answer for a request (by idempotency key and the how-many-th time it is seen). */
    public volatile java.util.function.BiFunction<String, Integer, Integer> status = (key, seen) -> 200;

    public WebhookSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, key, exchange.getRequestHeaders().getFirst("Herald-Signature"), body,
                                      System.currentTimeMillis(), exchange.getRequestHeaders().getFirst("traceparent")));
            int seen = key == null ? 1 : perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            int code = status.apply(key, seen);
            byte[] answer = path.contains("Messages.json")
                    ? ("{\"sid\":\"SM" + Integer.toHexString(received.size()) + "\",\"status\":\"queued\"}")
                            .getBytes(StandardCharsets.UTF_8)
                    : "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public long distinctKeys() {
        return received.stream().map(Received::idempotencyKey).distinct().count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
