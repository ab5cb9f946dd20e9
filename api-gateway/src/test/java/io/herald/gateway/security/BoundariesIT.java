package io.herald.gateway.security;

import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CORS, request size limits, security headers. */
class BoundariesIT extends IntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void cors_allowsTheConfiguredOriginOnly() {
        ApiClient api = new ApiClient(port);
        Map<String, String> preflight = Map.of("Origin", "http://localhost:3000", "Access-Control-Request-Method", "POST",
                                               "Access-Control-Request-Headers", "authorization,content-type");
        var allowed = api.send("OPTIONS", "/api/campaigns", null, null, preflight);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
        assertThat(allowed.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        var refused = api.send("OPTIONS", "/api/campaigns", null, null,
                               Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void oversizedBodies_are413Problems_declaredOrChunked() throws Exception {
        ApiClient api = TestAuth.asAdmin(new ApiClient(port));
        String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
        var declared = api.post("/api/campaigns", big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().get("code").asText()).isEqualTo("request.too-large");

        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/campaigns HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + api.defaultHeader("Authorization") + "\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            byte[] start = "{\"name\":\"".getBytes(StandardCharsets.US_ASCII);
            out.write((Integer.toHexString(start.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(start);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                for (int i = 0; i < 20; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the server may answer and close before the whole body is sent
            }
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response).contains("request.too-large");
        }
    }

    /** What Tomcat refuses before Herald sees it (a control character in a header, bad URL encoding) is problem+json too. */
    @Test
    void requestsTomcatRefusesItself_areProblemJson_notHtml() throws Exception {
        for (String raw : new String[] {
                "POST /api/track HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0001b\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                "GET /api/contacts/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /api/contacts/a{b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"}) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(response).as(raw).startsWith("HTTP/1.1 400");
                assertThat(response.toLowerCase()).as(raw).contains("content-type: application/problem+json")
                        .doesNotContain("<html");
                assertThat(response).as(raw).contains("\"status\":400");
            }
        }
    }

    @Test
    void responses_carrySecurityHeaders_andNoStackTraces() {
        var response = new ApiClient(port).get("/api/campaigns");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
        var weird = new ApiClient(port).get("/api/campaigns/%00%ff");
        assertThat(weird.status()).isLessThan(500);
        assertThat(weird.body()).doesNotContain("Exception").doesNotContain("at org.");
    }
}
