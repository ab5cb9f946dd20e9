package io.herald.gateway.webhook;

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
import java.util.function.Function;

/**
 * A real HTTP server receiving Standard Webhooks messages: records each request's path, headers and body, and answers
 * with the status (after the delay) the test sets per path.
 */
final class HookSink implements AutoCloseable {

    record Hit(String path, String id, String timestamp, String signature, String body, long at) {
    }

    record Answer(int status, long delayMillis, String body) {
    }

    private final HttpServer server;
    final List<Hit> hits = new CopyOnWriteArrayList<>();
    final Map<String, Function<Integer, Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, Integer> seen = new ConcurrentHashMap<>();

    HookSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            var headers = exchange.getRequestHeaders();
            hits.add(new Hit(path, headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                             headers.getFirst("webhook-signature"), body, System.currentTimeMillis()));
            int n = seen.merge(path, 1, Integer::sum);
            Answer answer = answers.getOrDefault(path, k -> new Answer(200, 0, "ok")).apply(n);
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(answer.status(), bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (IOException e) {
                // the caller gave up (a timeout)
            }
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Hit> at(String path) {
        return hits.stream().filter(h -> h.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
