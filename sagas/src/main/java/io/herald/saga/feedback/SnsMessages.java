package io.herald.saga.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.common.DomainException;
import io.herald.api.feedback.ReceiveEmailFeedbackCommand;
import io.herald.eventstore.database.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Amazon SNS messages posted to an HTTP(S) subscription: parsed, and their signature verified with the certificate
 * named by {@code SigningCertURL} ({@code SignatureVersion} 1: SHA1withRSA, 2: SHA256withRSA, over the message's
 * fields in SNS's canonical order). The certificate URL (and a confirmation's {@code SubscribeURL}) must be https on
 * a host matching the SNS pattern ({@code sns.<region>.amazonaws.com}), so a message cannot bring its own key and
 * confirming cannot be turned into a request to anywhere else. Certificates are fetched once and kept (a small LRU).
 */
final class SnsMessages {

    static final String NOTIFICATION = "Notification";
    static final String SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation";
    static final String UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation";
    private static final int MAX_CERTIFICATE_BYTES = 64 * 1024;

    /** A verified SNS message. */
    record Message(String type, String messageId, String topicArn, String message, String subscribeUrl,
                   String timestamp) {
    }

    private final Pattern hosts;
    private final boolean allowHttp;
    private final HttpClient client;
    private final Duration timeout;
    private final Map<String, X509Certificate> certificates;

    SnsMessages(FeedbackProperties.Ses properties) {
        this.hosts = Pattern.compile(properties.certificateHostPattern());
        this.allowHttp = properties.allowHttp();
        this.timeout = properties.fetchTimeout();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        int size = properties.certificateCacheSize();
        this.certificates = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, X509Certificate> eldest) {
                return size() > size;
            }
        });
    }

    /** The message, parsed and its signature verified; refused with 400 (malformed) or 401 (signature). */
    Message verify(String body) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw malformed("The body is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw malformed("The body is not an SNS message");
        }
        String type = text(json, "Type");
        List<String> fields = switch (type == null ? "" : type) {
            case NOTIFICATION -> List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
            case SUBSCRIPTION_CONFIRMATION, UNSUBSCRIBE_CONFIRMATION ->
                    List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
            default -> throw malformed("Not an SNS message type: " + type);
        };
        StringBuilder signed = new StringBuilder();
        for (String field : fields) {
            String value = text(json, field);
            if (value == null) {
                if ("Subject".equals(field)) {
                    continue; // only when the message has one
                }
                throw malformed("The SNS message has no " + field);
            }
            signed.append(field).append('\n').append(value).append('\n');
        }
        String version = text(json, "SignatureVersion");
        String algorithm = "1".equals(version) ? "SHA1withRSA" : "2".equals(version) ? "SHA256withRSA" : null;
        if (algorithm == null) {
            throw unsigned("Unknown SNS SignatureVersion: " + version);
        }
        String signature = text(json, "Signature");
        String certificateUrl = text(json, "SigningCertURL");
        if (signature == null || certificateUrl == null) {
            throw unsigned("The SNS message is not signed");
        }
        URI certificate = snsUrl(certificateUrl, "SigningCertURL");
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            throw unsigned("The SNS signature is not base64");
        }
        X509Certificate cert = certificate(certificate);
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(signed.toString().getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(signatureBytes)) {
                throw unsigned("The SNS signature does not match the message");
            }
        } catch (GeneralSecurityException e) {
            throw unsigned("The SNS signature could not be verified: " + e.getClass().getSimpleName());
        }
        String subscribeUrl = text(json, "SubscribeURL");
        if (!NOTIFICATION.equals(type)) {
            snsUrl(subscribeUrl, "SubscribeURL");
        }
        return new Message(type, text(json, "MessageId"), text(json, "TopicArn"), text(json, "Message"),
                           subscribeUrl, text(json, "Timestamp"));
    }

    /** Confirms a subscription: a GET of its (checked) {@code SubscribeURL}; true when SNS answered 2xx. */
    boolean confirm(Message message) {
        URI url = snsUrl(message.subscribeUrl(), "SubscribeURL");
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                                                      HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** An URL SNS may have given: https (or http when allowed), no user info, host (and port) matching the pattern. */
    URI snsUrl(String value, String field) {
        URI uri;
        try {
            uri = value == null ? null : new URI(value);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getScheme() == null) {
            throw unsigned(field + " is not an URL");
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!"https".equals(scheme) && !(allowHttp && "http".equals(scheme))) {
            throw unsigned(field + " is not https");
        }
        String authority = uri.getHost().toLowerCase(java.util.Locale.ROOT)
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        if (!hosts.matcher(authority).matches()) {
            throw unsigned(field + " is not on an SNS host: " + uri.getHost());
        }
        return uri;
    }

    private X509Certificate certificate(URI url) {
        X509Certificate cached = certificates.get(url.toString());
        if (cached != null) {
            checkValid(cached);
            return cached;
        }
        X509Certificate fetched = fetch(url);
        checkValid(fetched);
        certificates.put(url.toString(), fetched);
        return fetched;
    }

    private X509Certificate fetch(URI url) {
        try {
            HttpResponse<InputStream> response = client.send(
                    HttpRequest.newBuilder(url).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw unsigned("The signing certificate could not be fetched: HTTP " + response.statusCode());
                }
                byte[] bytes = in.readNBytes(MAX_CERTIFICATE_BYTES + 1);
                if (bytes.length > MAX_CERTIFICATE_BYTES) {
                    throw unsigned("The signing certificate is too large");
                }
                return (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(bytes));
            }
        } catch (CertificateException | ClassCastException e) {
            throw unsigned("The signing certificate is not an X.509 certificate");
        } catch (IOException e) {
            throw unsigned("The signing certificate could not be fetched: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unsigned("Interrupted while fetching the signing certificate");
        }
    }

    private static void checkValid(X509Certificate certificate) {
        try {
            certificate.checkValidity();
        } catch (CertificateException e) {
            throw unsigned("The signing certificate is expired or not yet valid");
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    static DomainException malformed(String message) {
        return new DomainException(DomainException.Kind.INVALID, ReceiveEmailFeedbackCommand.MALFORMED, message);
    }

    static DomainException unsigned(String message) {
        return new DomainException(DomainException.Kind.UNAUTHENTICATED, ReceiveEmailFeedbackCommand.SIGNATURE_INVALID,
                                   message);
    }
}
