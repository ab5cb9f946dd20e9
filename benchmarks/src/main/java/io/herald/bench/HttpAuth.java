package io.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Signs the benchmark in when the API requires it: registers the first account (which becomes the
 * administrator of the fresh database) and logs in for a bearer token, as the dashboard does. When
 * the application has no {@code /api/auth} endpoints, requests go without credentials.
 */
final class HttpAuth {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpAuth() {
    }

    /** The Authorization header value to send, or null when the API needs none. */
    static String obtain(int port) throws Exception {
        String email = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@herald.test";
        String password = "Bench-" + UUID.randomUUID() + "-pw";
        HttpClients.SocketClient client = new HttpClients.SocketClient(port, null) {
            @Override
            public boolean call(long sequence) {
                return true;
            }
        };
        try {
            HttpClients.Response registered = client.exchange("POST", "/api/auth/register", JSON.writeValueAsBytes(
                    Map.of("email", email, "password", password, "displayName", "Benchmark")));
            if (registered.status() == 404 || registered.status() == 405) {
                return null; // no identity endpoints: the API is open
            }
            if (registered.status() / 100 != 2) {
                throw new IllegalStateException("Could not register the benchmark account: HTTP " + registered.status()
                                                        + " " + text(registered));
            }
            HttpClients.Response login = client.exchange("POST", "/api/auth/login", JSON.writeValueAsBytes(
                    Map.of("email", email, "password", password)));
            if (login.status() != 200) {
                throw new IllegalStateException("Could not log the benchmark account in: HTTP " + login.status() + " "
                                                        + text(login));
            }
            JsonNode session = JSON.readTree(login.body());
            String type = session.path("tokenType").asText("Bearer");
            return (type.isBlank() ? "Bearer" : type) + " " + session.path("accessToken").asText();
        } finally {
            client.close();
        }
    }

    private static String text(HttpClients.Response response) {
        byte[] body = response.body();
        return new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    }
}
