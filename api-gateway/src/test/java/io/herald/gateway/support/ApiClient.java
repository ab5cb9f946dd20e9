package io.herald.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small real HTTP client for integration tests: sends JSON, gives back status, headers and body. */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

    public ApiClient(int port) {
        this("http://localhost:" + port);
    }

    private ApiClient(String base) {
        this.base = base;
    }

    public ApiClient header(String name, String value) {
        defaultHeaders.put(name, value);
        return this;
    }

    /** A copy of this client that also sends this header. */
    public ApiClient withHeader(String name, String value) {
        ApiClient copy = new ApiClient(base);
        copy.defaultHeaders.putAll(defaultHeaders);
        copy.defaultHeaders.put(name, value);
        return copy;
    }

    public String defaultHeader(String name) {
        return defaultHeaders.get(name);
    }

    public String base() {
        return base;
    }

    public Response get(String path) {
        return send("GET", path, null, "application/json", Map.of());
    }

    public Response post(String path, String body) {
        return send("POST", path, body, "application/json", Map.of());
    }

    public Response put(String path, String body) {
        return send("PUT", path, body, "application/json", Map.of());
    }

    public Response send(String method, String path, String body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                             : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && contentType != null) {
            request.header("Content-Type", contentType);
        }
        defaultHeaders.forEach(request::header);
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

        public JsonNode json() {
            try {
                return body == null || body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
