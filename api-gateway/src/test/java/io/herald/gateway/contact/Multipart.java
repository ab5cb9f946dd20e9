package io.herald.gateway.contact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Sends a CSV import as a real multipart/form-data request. */
public final class Multipart {

    private Multipart() {
    }

    public static HttpResponse<String> postImport(int port, String token, byte[] csv, String mapping, String mode) {
        String boundary = "----herald" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"contacts.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n");
            body.write(csv);
            write(body, "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"mapping\"\r\n"
                    + "Content-Type: application/json\r\n\r\n" + mapping + "\r\n");
            if (mode != null) {
                write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\n" + mode + "\r\n");
            }
            write(body, "--" + boundary + "--\r\n");
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/contacts/imports"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                    .build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(ByteArrayOutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
