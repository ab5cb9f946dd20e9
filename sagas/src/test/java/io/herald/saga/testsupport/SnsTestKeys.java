package io.herald.saga.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A signing key and its self-signed certificate made by the JDK's keytool, standing in for SNS's: signs SNS messages
 * the way SNS does (the fields in canonical order, SHA1withRSA or SHA256withRSA).
 */
public final class SnsTestKeys {

    private static final ObjectMapper JSON = new ObjectMapper();

    final PrivateKey key;
    final X509Certificate certificate;

    private SnsTestKeys(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A new key pair; {@code startDate} as keytool takes it (e.g. {@code -10d}), or null for now. */
    public static SnsTestKeys generate(Path dir, String startDate, int validityDays) throws Exception {
        Path store = Files.createTempFile(dir, "sns", ".p12");
        Files.delete(store);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = new java.util.ArrayList<>(List.of(
                keytool, "-genkeypair", "-alias", "sns", "-keyalg", "RSA", "-keysize", "2048", "-sigalg",
                "SHA256withRSA", "-dname", "CN=sns.test", "-validity", String.valueOf(validityDays), "-keystore",
                store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit"));
        if (startDate != null) {
            command.addAll(List.of("-startdate", startDate));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        return new SnsTestKeys((PrivateKey) keyStore.getKey("sns", "changeit".toCharArray()),
                               (X509Certificate) keyStore.getCertificate("sns"));
    }

    public String pem() throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    /** A signed Notification carrying {@code message}. */
    public String notification(String topicArn, String messageId, String message, String certificateUrl, int version)
            throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Type", "Notification");
        fields.put("MessageId", messageId);
        fields.put("TopicArn", topicArn);
        fields.put("Subject", "Amazon SES Email Event Notification");
        fields.put("Message", message);
        fields.put("Timestamp", "2026-12-08T00:00:00.000Z");
        return signed(fields, List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
                      certificateUrl, version);
    }

    /** A signed SubscriptionConfirmation asking to GET {@code subscribeUrl}. */
    public String confirmation(String topicArn, String subscribeUrl, String certificateUrl) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Type", "SubscriptionConfirmation");
        fields.put("MessageId", "c0a8e1f2-0000-4000-8000-000000000001");
        fields.put("Token", "2336412f37fb687f5d51e6e2425dacbba");
        fields.put("TopicArn", topicArn);
        fields.put("Message", "You have chosen to subscribe to the topic " + topicArn + ".");
        fields.put("SubscribeURL", subscribeUrl);
        fields.put("Timestamp", "2026-12-08T00:00:00.000Z");
        return signed(fields, List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"),
                      certificateUrl, 1);
    }

    private String signed(Map<String, String> fields, List<String> order, String certificateUrl, int version)
            throws Exception {
        StringBuilder text = new StringBuilder();
        for (String name : order) {
            text.append(name).append('\n').append(fields.get(name)).append('\n');
        }
        Signature signature = Signature.getInstance(version == 1 ? "SHA1withRSA" : "SHA256withRSA");
        signature.initSign(key);
        signature.update(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, String> body = new LinkedHashMap<>(fields);
        body.put("SignatureVersion", String.valueOf(version));
        body.put("Signature", Base64.getEncoder().encodeToString(signature.sign()));
        body.put("SigningCertURL", certificateUrl);
        body.put("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe");
        return JSON.writeValueAsString(body);
    }
}
