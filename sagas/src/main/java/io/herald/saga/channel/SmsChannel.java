package io.herald.saga.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.campaign.Channel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * SMS through a Twilio-style HTTP API: {@code POST {baseUrl}/Accounts/{accountSid}/Messages.json} with
 * form fields {@code To}, {@code From}, {@code Body}, HTTP Basic (account SID, auth token), answering
 * JSON with the message {@code sid}. A request sent but not answered is {@code UNKNOWN}: never blindly
 * repeated (the recipient would get it twice).
 */
public final class SmsChannel implements ChannelAdapter {

    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI endpoint;
    private final String authorization;
    private final String from;
    private final Duration timeout;

    public SmsChannel(String baseUrl, String accountSid, String authToken, String from, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/Accounts/" + accountSid + "/Messages.json");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        this.from = from;
        this.timeout = timeout;
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        if (message.to() == null || !E164.matcher(message.to()).matches()) {
            return SendResult.permanentFailure("not an E.164 phone number");
        }
        String form = "To=" + encode(message.to()) + "&From=" + encode(from) + "&Body=" + encode(message.text());
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Idempotency-Key", message.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                JsonNode body = JSON.readTree(response.body());
                return SendResult.sent(body.path("sid").asText(null));
            }
            if (status == 429 || status >= 500) {
                return SendResult.transientFailure("provider answered HTTP " + status);
            }
            return SendResult.permanentFailure("provider refused: HTTP " + status);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return SendResult.transientFailure("could not reach the SMS provider");
        } catch (HttpTimeoutException e) {
            return SendResult.unknown("the SMS provider did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return SendResult.unknown("connection to the SMS provider broke: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.unknown("interrupted while sending");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
