package io.herald.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HTTP load generators. {@code socket}: one keep-alive HTTP/1.1 connection per client over a
 * plain socket (cheap on the CPU it shares with the server); {@code jdk}: java.net.http.HttpClient
 * pinned to HTTP/1.1. Both reconnect when the server closes a connection (Tomcat closes a
 * keep-alive connection after 100 requests by default).
 */
final class HttpClients {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private HttpClients() {
    }

    /** The request body of a create: the example from the API docs with a unique name. */
    static byte[] createBody(long sequence) {
        return ("{\"name\":\"bench-" + sequence + "\",\"channel\":\"EMAIL\","
                + "\"content\":{\"subject\":\"Hi\",\"body\":\"Sale\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** POST /api/campaigns; anything but 201 is an error. */
    static LoadDriver.ClientFactory createCampaign(String kind, int port, String authorization) {
        if (kind.equals("jdk")) {
            HttpClient shared = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                          .connectTimeout(TIMEOUT).build();
            URI uri = URI.create("http://127.0.0.1:" + port + "/api/campaigns");
            return index -> sequence -> {
                HttpRequest request = authorized(HttpRequest.newBuilder(uri).timeout(TIMEOUT), authorization)
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(createBody(sequence))).build();
                HttpResponse<byte[]> response = shared.send(request, HttpResponse.BodyHandlers.ofByteArray());
                return expect(201, response.statusCode(), response.body());
            };
        }
        return index -> new SocketClient(port, authorization) {
            @Override
            public boolean call(long sequence) throws Exception {
                Response response = exchange("POST", "/api/campaigns", createBody(sequence));
                return expect(201, response.status(), response.body());
            }
        };
    }

    /** POST /bench/echo with the create body; anything but 201 is an error. */
    static LoadDriver.ClientFactory echo(String kind, int port, String authorization) {
        if (kind.equals("jdk")) {
            HttpClient shared = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                          .connectTimeout(TIMEOUT).build();
            URI uri = URI.create("http://127.0.0.1:" + port + EchoEndpoint.PATH);
            return index -> sequence -> {
                HttpRequest request = authorized(HttpRequest.newBuilder(uri).timeout(TIMEOUT), authorization)
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(createBody(sequence))).build();
                HttpResponse<byte[]> response = shared.send(request, HttpResponse.BodyHandlers.ofByteArray());
                return expect(201, response.statusCode(), response.body());
            };
        }
        return index -> new SocketClient(port, authorization) {
            @Override
            public boolean call(long sequence) throws Exception {
                Response response = exchange("POST", EchoEndpoint.PATH, createBody(sequence));
                return expect(201, response.status(), response.body());
            }
        };
    }

    /** GET /api/campaigns/{id} of random ids among {@code ids}; anything but 200 is an error. */
    static LoadDriver.ClientFactory getCampaign(String kind, int port, List<String> ids, String authorization) {
        if (kind.equals("jdk")) {
            HttpClient shared = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                          .connectTimeout(TIMEOUT).build();
            return index -> sequence -> {
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                HttpRequest request = authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                                                                + "/api/campaigns/" + id)), authorization)
                        .timeout(TIMEOUT).header("Accept", "application/json").GET().build();
                HttpResponse<byte[]> response = shared.send(request, HttpResponse.BodyHandlers.ofByteArray());
                return expect(200, response.statusCode(), response.body());
            };
        }
        return index -> new SocketClient(port, authorization) {
            @Override
            public boolean call(long sequence) throws Exception {
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                Response response = exchange("GET", "/api/campaigns/" + id, null);
                return expect(200, response.status(), response.body());
            }
        };
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder builder, String authorization) {
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    private static boolean expect(int expected, int status, byte[] body) {
        if (status != expected) {
            String text = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            throw new IllegalStateException("HTTP " + status + " (expected " + expected + "): " + text);
        }
        return true;
    }

    record Response(int status, byte[] body) {
    }

    /** A minimal HTTP/1.1 client over one keep-alive socket: Content-Length and chunked bodies. */
    abstract static class SocketClient implements LoadDriver.Client {

        private final int port;
        private final String host;
        private final String authorization;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        /** @param authorization value of the Authorization header; null: none */
        SocketClient(int port, String authorization) {
            this.port = port;
            this.host = "127.0.0.1:" + port;
            this.authorization = authorization;
        }

        /** One request and its response; no retries (a failure counts as an error). */
        Response exchange(String method, String path, byte[] body) throws IOException {
            try {
                return attempt(method, path, body);
            } catch (IOException | RuntimeException e) {
                closeSocket();
                throw e;
            }
        }

        private Response attempt(String method, String path, byte[] body) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                out = socket.getOutputStream();
            }
            StringBuilder head = new StringBuilder(256)
                    .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append("\r\n")
                    .append("Accept: application/json\r\n")
                    .append("X-Correlation-Id: ").append(UUID.randomUUID()).append("\r\n");
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: application/json\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] request = body == null ? headBytes : concat(headBytes, body);
            out.write(request);
            out.flush();
            return readResponse();
        }

        private Response readResponse() throws IOException {
            String statusLine = readLine();
            if (statusLine == null) {
                throw new EOFException("connection closed before the status line");
            }
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            long contentLength = -1;
            boolean chunked = false;
            boolean close = statusLine.startsWith("HTTP/1.0");
            String line;
            while ((line = readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                while (true) {
                    String size = readLine();
                    if (size == null) {
                        throw new EOFException("connection closed inside a chunked body");
                    }
                    int semicolon = size.indexOf(';');
                    int length = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                    if (length == 0) {
                        while ((line = readLine()) != null && !line.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    copy(length, body);
                    readLine(); // CRLF after the chunk
                }
            } else if (contentLength > 0) {
                copy(contentLength, body);
            } else if (contentLength < 0 && status != 204 && status != 304) {
                in.transferTo(body); // delimited by close
                close = true;
            }
            if (close) {
                closeSocket();
            }
            return new Response(status, body.toByteArray());
        }

        private void copy(long length, ByteArrayOutputStream target) throws IOException {
            byte[] buffer = new byte[8192];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("connection closed inside a body");
                }
                target.write(buffer, 0, n);
                left -= n;
            }
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int len = sb.length();
                    if (len > 0 && sb.charAt(len - 1) == '\r') {
                        sb.setLength(len - 1);
                    }
                    return sb.toString();
                }
                sb.append((char) c);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] result = new byte[a.length + b.length];
            System.arraycopy(a, 0, result, 0, a.length);
            System.arraycopy(b, 0, result, a.length, b.length);
            return result;
        }

        private void closeSocket() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
            socket = null;
            in = null;
            out = null;
        }

        @Override
        public void close() {
            closeSocket();
        }
    }
}
