package io.herald.saga.feedback;

import io.herald.saga.testsupport.SnsTestKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.herald.api.common.DomainException;
import io.herald.api.feedback.ReceiveEmailFeedbackCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SNS signature verification against certificates served by a real local HTTP server. */
class SnsMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-feedback";

    @TempDir
    static Path dir;
    static SnsTestKeys keys;
    static SnsTestKeys other;
    static SnsTestKeys expired;
    static HttpServer server;
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        keys = SnsTestKeys.generate(dir, null, 2);
        other = SnsTestKeys.generate(dir, null, 2);
        expired = SnsTestKeys.generate(dir, "-10d", 1);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Map<String, String> pems = Map.of("/cert.pem", keys.pem(), "/other.pem", other.pem(),
                                          "/expired.pem", expired.pem(), "/garbage.pem", "not a certificate");
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String pem = pems.get(path);
            byte[] body = (pem == null ? (path.equals("/confirm") ? "<ok/>" : "missing") : pem)
                    .getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(pem == null && !path.equals("/confirm") ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Settings a test can use: the local server's host and port, http allowed. */
    private static SnsMessages local() {
        return new SnsMessages(new FeedbackProperties.Ses(List.of(), "127\\.0\\.0\\.1:\\d+", true,
                                                          Duration.ofSeconds(5), 4));
    }

    private static SnsMessages strict() {
        return new SnsMessages(new FeedbackProperties.Ses(null, null, false, null, null));
    }

    private static void assertUnsigned(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo(ReceiveEmailFeedbackCommand.SIGNATURE_INVALID);
            assertThat(e.kind()).isEqualTo(DomainException.Kind.UNAUTHENTICATED);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static void assertMalformed(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo(ReceiveEmailFeedbackCommand.MALFORMED);
            assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID);
        });
    }

    @Test
    void signatureVersion1_sha1WithRsa_verifies() throws Exception {
        String body = keys.notification(TOPIC, "m-1", "{\"notificationType\":\"Bounce\"}", url("/cert.pem"), 1);
        SnsMessages.Message message = local().verify(body);
        assertThat(message.type()).isEqualTo("Notification");
        assertThat(message.topicArn()).isEqualTo(TOPIC);
        assertThat(message.messageId()).isEqualTo("m-1");
        assertThat(message.message()).isEqualTo("{\"notificationType\":\"Bounce\"}");
    }

    @Test
    void signatureVersion2_sha256WithRsa_verifies() throws Exception {
        String body = keys.notification(TOPIC, "m-2", "{}", url("/cert.pem"), 2);
        assertThat(local().verify(body).messageId()).isEqualTo("m-2");
    }

    @Test
    void aSignatureOfVersion1_claimedAsVersion2_isRefused() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(keys.notification(TOPIC, "m-3", "{}", url("/cert.pem"), 1));
        body.put("SignatureVersion", "2");
        assertUnsigned(() -> local().verify(body.toString()), "does not match");
    }

    @Test
    void aTamperedMessage_isRefused() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(keys.notification(TOPIC, "m-4", "{\"a\":1}", url("/cert.pem"), 2));
        body.put("Message", "{\"a\":2}");
        assertUnsigned(() -> local().verify(body.toString()), "does not match");
        ObjectNode topic = (ObjectNode) JSON.readTree(keys.notification(TOPIC, "m-4", "{\"a\":1}", url("/cert.pem"), 2));
        topic.put("TopicArn", TOPIC + "-other");
        assertUnsigned(() -> local().verify(topic.toString()), "does not match");
    }

    @Test
    void signedWithAnotherKey_thanTheCertificateAtTheUrl_isRefused() throws Exception {
        String body = other.notification(TOPIC, "m-5", "{}", url("/cert.pem"), 2);
        assertUnsigned(() -> local().verify(body), "does not match");
    }

    @Test
    void anExpiredCertificate_isRefused() throws Exception {
        String body = expired.notification(TOPIC, "m-6", "{}", url("/expired.pem"), 2);
        assertUnsigned(() -> local().verify(body), "expired");
    }

    @Test
    void aCertificateUrlThatIsNoCertificate_orMissing_isRefused() throws Exception {
        assertUnsigned(() -> local().verify(uncheck(() -> keys.notification(TOPIC, "m", "{}", url("/garbage.pem"), 2))),
                       "not an X.509");
        assertUnsigned(() -> local().verify(uncheck(() -> keys.notification(TOPIC, "m", "{}", url("/none.pem"), 2))),
                       "HTTP 404");
    }

    @Test
    void aCertificateUrlOffThePattern_isRefused_beforeAnythingIsFetched() throws Exception {
        int before = hits.values().stream().mapToInt(AtomicInteger::get).sum();
        String wrongHost = url("/cert.pem").replace("127.0.0.1", "localhost");
        assertUnsigned(() -> local().verify(uncheck(() -> keys.notification(TOPIC, "m", "{}", wrongHost, 2))),
                       "not on an SNS host");
        // the default settings: https on sns.<region>.amazonaws.com only
        assertUnsigned(() -> strict().verify(uncheck(() -> keys.notification(TOPIC, "m", "{}", url("/cert.pem"), 2))),
                       "not https");
        for (String url : List.of("https://sns.us-east-1.amazonaws.com.evil.example/cert.pem",
                                  "https://evil.example/sns.us-east-1.amazonaws.com/cert.pem",
                                  "https://sns.us-east-1.amazonaws.com@evil.example/cert.pem",
                                  "https://user@sns.us-east-1.amazonaws.com/cert.pem",
                                  "https://sns.us-east-1.amazonaws.com:8443/cert.pem",
                                  "https://s3.amazonaws.com/cert.pem",
                                  "ftp://sns.us-east-1.amazonaws.com/cert.pem",
                                  "not a url")) {
            assertUnsigned(() -> strict().verify(uncheck(() -> keys.notification(TOPIC, "m", "{}", url, 2))), "");
        }
        assertThat(hits.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(before);
        assertThat(strict().snsUrl("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem", "f")
                           .getHost()).isEqualTo("sns.eu-west-1.amazonaws.com");
        assertThat(strict().snsUrl("https://sns.cn-north-1.amazonaws.com.cn/x.pem", "f")).isNotNull();
    }

    @Test
    void certificates_areFetchedOnce() throws Exception {
        SnsMessages sns = local();
        hits.remove("/other.pem");
        sns.verify(other.notification(TOPIC, "a", "{}", url("/other.pem"), 2));
        sns.verify(other.notification(TOPIC, "b", "{}", url("/other.pem"), 1));
        assertThat(hits.get("/other.pem").get()).isEqualTo(1);
    }

    @Test
    void malformedBodies_are400_notSignatureFailures() throws Exception {
        assertMalformed(() -> local().verify("not json"));
        assertMalformed(() -> local().verify("[1,2]"));
        assertMalformed(() -> local().verify("{\"Type\":\"Something\"}"));
        ObjectNode body = (ObjectNode) JSON.readTree(keys.notification(TOPIC, "m", "{}", url("/cert.pem"), 2));
        body.remove("MessageId");
        assertMalformed(() -> local().verify(body.toString()));
    }

    @Test
    void unsignedOrUnknownVersion_isRefused() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(keys.notification(TOPIC, "m", "{}", url("/cert.pem"), 2));
        body.put("SignatureVersion", "3");
        assertUnsigned(() -> local().verify(body.toString()), "SignatureVersion");
        body.put("SignatureVersion", "2");
        body.remove("Signature");
        assertUnsigned(() -> local().verify(body.toString()), "not signed");
        body.put("Signature", "%%%");
        assertUnsigned(() -> local().verify(body.toString()), "base64");
    }

    @Test
    void aSubscriptionConfirmation_isVerified_andConfirmedAtItsCheckedUrl() throws Exception {
        SnsMessages sns = local();
        SnsMessages.Message message = sns.verify(keys.confirmation(TOPIC, url("/confirm"), url("/cert.pem")));
        assertThat(message.type()).isEqualTo("SubscriptionConfirmation");
        int before = hits.getOrDefault("/confirm", new AtomicInteger()).get();
        assertThat(sns.confirm(message)).isTrue();
        assertThat(hits.get("/confirm").get()).isEqualTo(before + 1);
        // a SubscribeURL off the pattern is refused with the message (no request made to it)
        String elsewhere = url("/confirm").replace("127.0.0.1", "localhost");
        assertUnsigned(() -> sns.verify(uncheck(() -> keys.confirmation(TOPIC, elsewhere, url("/cert.pem")))),
                       "SubscribeURL is not on an SNS host");
    }

    interface Checked<T> {
        T get() throws Exception;
    }

    private static <T> T uncheck(Checked<T> call) {
        try {
            return call.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
