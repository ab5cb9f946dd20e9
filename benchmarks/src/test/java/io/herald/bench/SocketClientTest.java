package io.herald.bench;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The raw HTTP/1.1 client against a scripted loopback server: chunked and sized bodies, Connection: close. */
class SocketClientTest {

    @Test
    void readsChunkedAndSizedBodies_andReconnectsAfterConnectionClose() throws Exception {
        List<String> responses = List.of(
                "HTTP/1.1 201 \r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n",
                "HTTP/1.1 200 \r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                "HTTP/1.1 202 \r\nContent-Length: 0\r\n\r\n");
        AtomicInteger connections = new AtomicInteger();
        List<String> requestLines = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread serverThread = Thread.ofPlatform().daemon().start(() -> serve(server, responses, connections,
                                                                                 requestLines));
            HttpClients.SocketClient client = new HttpClients.SocketClient(server.getLocalPort(), null) {
                @Override
                public boolean call(long sequence) {
                    return true;
                }
            };

            HttpClients.Response first = client.exchange("POST", "/api/campaigns", "{}".getBytes(StandardCharsets.UTF_8));
            HttpClients.Response second = client.exchange("GET", "/x", null);
            HttpClients.Response third = client.exchange("GET", "/y", null);
            client.close();
            serverThread.join(5_000);

            assertThat(first.status()).isEqualTo(201);
            assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\": 1}");
            assertThat(second.status()).isEqualTo(200);
            assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
            assertThat(third.status()).isEqualTo(202);
            assertThat(connections.get()).isEqualTo(2);
            assertThat(requestLines).containsExactly("POST /api/campaigns HTTP/1.1", "GET /x HTTP/1.1",
                                                     "GET /y HTTP/1.1");
        }
    }

    private static void serve(ServerSocket server, List<String> responses, AtomicInteger connections,
                              List<String> requestLines) {
        int next = 0;
        try {
            while (next < responses.size()) {
                try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                                                                 StandardCharsets.ISO_8859_1));
                    OutputStream out = socket.getOutputStream();
                    while (next < responses.size()) {
                        String requestLine = in.readLine();
                        if (requestLine == null) {
                            break;
                        }
                        requestLines.add(requestLine);
                        int length = 0;
                        String header;
                        while ((header = in.readLine()) != null && !header.isEmpty()) {
                            if (header.toLowerCase().startsWith("content-length:")) {
                                length = Integer.parseInt(header.substring(15).trim());
                            }
                        }
                        in.skip(length);
                        String response = responses.get(next++);
                        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        if (response.contains("Connection: close")) {
                            break;
                        }
                    }
                }
            }
        } catch (Exception e) {
            // the test's assertions report what went wrong
        }
    }
}
