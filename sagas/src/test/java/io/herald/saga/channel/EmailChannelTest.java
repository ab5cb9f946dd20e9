package io.herald.saga.channel;

import io.herald.saga.testsupport.RejectingSmtpProxy;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Against GreenMail, a real SMTP server in this JVM. */
class EmailChannelTest {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

    private EmailChannel channel;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        channel.close();
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @BeforeEach
    void setUp() {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(smtp.getSmtp().getPort());
        channel = new EmailChannel(sender, "Herald <news@herald.test>", 2);
    }

    private static OutboundMessage message(String to, int n) {
        return new OutboundMessage("c1:contact-" + n, to, "Hello " + n, "Text " + n, "<p>Html " + n + "</p>", null,
                                   "https://herald.test/u/token-" + n, Map.of("Campaign", "c1"));
    }

    @Test
    void theStreamProviderIsNamed_soJakartaMailDoesNotScanTheClassPathForEveryBodyPart() {
        assertThat(System.getProperty(EmailChannel.STREAM_PROVIDER_PROPERTY))
                .isEqualTo("org.eclipse.angus.mail.util.MailStreamProvider");
    }

    @Test
    void send_deliversMultipartWithOneClickUnsubscribe() throws Exception {
        SendResult result = channel.send(message("ann@example.com", 1));
        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.SENT);
        assertThat(result.providerMessageId()).isNotBlank();
        MimeMessage received = smtp.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Hello 1");
        assertThat(received.getHeader("List-Unsubscribe")[0]).isEqualTo("<https://herald.test/u/token-1>");
        assertThat(received.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(received.getHeader("X-Herald-Idempotency-Key")[0]).isEqualTo("c1:contact-1");
        assertThat(received.getContent()).isInstanceOf(MimeMultipart.class);
        String raw = new String(received.getInputStream().readAllBytes());
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(received))
                .contains("Text 1").contains("<p>Html 1</p>");
        assertThat(raw).isNotNull();
    }

    @Test
    void sendAll_sendsABatchOverOneConnection_andABadAddressFailsOnlyItself() {
        List<OutboundMessage> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(message("user" + i + "@example.com", i));
        }
        batch.add(message("not an address", 99));
        List<SendResult> results = channel.sendAll(batch);
        assertThat(results).hasSize(41);
        assertThat(results.subList(0, 40)).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SendResult.Outcome.SENT));
        assertThat(results.get(40).outcome()).isEqualTo(SendResult.Outcome.PERMANENT_FAILURE);
        assertThat(smtp.getReceivedMessages()).hasSize(40);
    }

    @Test
    void theMessage_namesItsDelivery_inAHeaderAndAStableMessageId() throws Exception {
        String delivery = "0b5c9a57-7c9f-4a4e-8d64-1e4c2c1f0a11:6f1d2c3b-aaaa-4bbb-8ccc-123456789abc";
        OutboundMessage message = new OutboundMessage(delivery, "ann@example.com", "Hi", "Text", "<p>Html</p>", null,
                                                      null, Map.of());
        SendResult result = channel.send(message);
        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.SENT);
        String expected = "<0b5c9a57-7c9f-4a4e-8d64-1e4c2c1f0a11.6f1d2c3b-aaaa-4bbb-8ccc-123456789abc@herald.test>";
        assertThat(result.providerMessageId()).isEqualTo(expected);
        jakarta.mail.internet.MimeMessage received = smtp.getReceivedMessages()[0];
        assertThat(received.getMessageID()).isEqualTo(expected);
        assertThat(received.getHeader(EmailHeaders.DELIVERY, null)).isEqualTo(delivery);
        assertThat(EmailHeaders.deliveryOfMessageId(received.getMessageID())).isEqualTo(delivery);
    }

    @Test
    void aRecipientRefusedWith550_isAPermanentFailure_andAHardBounce_theOthersGoOut() throws Exception {
        try (RejectingSmtpProxy proxy = new RejectingSmtpProxy(smtp.getSmtp().getPort(), "bounce")) {
            JavaMailSenderImpl sender = new JavaMailSenderImpl();
            sender.setHost("127.0.0.1");
            sender.setPort(proxy.port());
            EmailChannel rejecting = new EmailChannel(sender, "news@herald.test", 1);
            toClose.add(rejecting);
            List<SendResult> results = rejecting.sendAll(List.of(message("ann@example.com", 1),
                                                                 message("bounce-me@example.com", 2),
                                                                 message("bob@example.com", 3)));
            assertThat(results.get(0).outcome()).isEqualTo(SendResult.Outcome.SENT);
            assertThat(results.get(1).outcome()).isEqualTo(SendResult.Outcome.PERMANENT_FAILURE);
            assertThat(results.get(1).smtpCode()).isEqualTo(550);
            assertThat(results.get(1).hardBounce()).isTrue();
            assertThat(results.get(1).error()).contains("User unknown");
            assertThat(results.get(2).outcome()).isEqualTo(SendResult.Outcome.SENT);
            assertThat(results.get(0).hardBounce()).isFalse();
            assertThat(smtp.getReceivedMessages()).hasSize(2);
        }
    }

    @Test
    void smtpDown_isATransientFailure() {
        JavaMailSenderImpl nowhere = new JavaMailSenderImpl();
        nowhere.setHost("127.0.0.1");
        nowhere.setPort(1); // nothing listens there
        SendResult result = new EmailChannel(nowhere, "news@herald.test", 1).send(message("ann@example.com", 1));
        assertThat(result.outcome()).isIn(SendResult.Outcome.TRANSIENT_FAILURE, SendResult.Outcome.UNKNOWN);
        assertThat(result.error()).isNotBlank();
    }

    /** A channel that reaches GreenMail through a proxy the test can cut. */
    private EmailChannel throughProxy(SmtpProxy proxy) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(proxy.port());
        EmailChannel proxied = new EmailChannel(sender, "news@herald.test", 2);
        toClose.add(proxied);
        return proxied;
    }

    private static List<OutboundMessage> batch(int from, int count) {
        List<OutboundMessage> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            batch.add(message("user" + i + "@example.com", i));
        }
        return batch;
    }

    @Test
    void successiveBatches_reuseOneOpenConnection() throws Exception {
        SmtpProxy proxy = new SmtpProxy(smtp.getSmtp().getPort(), Integer.MAX_VALUE);
        toClose.add(proxy);
        EmailChannel proxied = throughProxy(proxy);
        for (int round = 0; round < 3; round++) {
            assertThat(proxied.sendAll(batch(round * 5, 5)))
                    .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SendResult.Outcome.SENT));
        }
        assertThat(smtp.getReceivedMessages()).hasSize(15);
        assertThat(proxy.accepted()).isEqualTo(1);
    }

    @Test
    void aPooledConnectionTheServerDropped_isReplaced_andTheBatchIsSent() throws Exception {
        SmtpProxy proxy = new SmtpProxy(smtp.getSmtp().getPort(), Integer.MAX_VALUE);
        toClose.add(proxy);
        EmailChannel proxied = throughProxy(proxy);
        assertThat(proxied.sendAll(batch(0, 3))).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SendResult.Outcome.SENT));
        proxy.cutAll(); // the idle connection is gone (a server timeout, a restart)
        assertThat(proxied.sendAll(batch(3, 3))).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SendResult.Outcome.SENT));
        assertThat(smtp.getReceivedMessages()).hasSize(6);
        assertThat(proxy.accepted()).isEqualTo(2);
    }

    @Test
    void connectionLostMidBatch_theMessageInFlightIsUnknown_theRestNotSentAndTransient_thenItReconnects()
            throws Exception {
        // the proxy cuts the connection when the third message starts (its MAIL FROM never reaches the server)
        SmtpProxy proxy = new SmtpProxy(smtp.getSmtp().getPort(), 3);
        toClose.add(proxy);
        EmailChannel proxied = throughProxy(proxy);
        List<SendResult> results = proxied.sendAll(batch(0, 5));
        assertThat(results).extracting(SendResult::outcome).containsExactly(
                SendResult.Outcome.SENT, SendResult.Outcome.SENT, SendResult.Outcome.UNKNOWN,
                SendResult.Outcome.TRANSIENT_FAILURE, SendResult.Outcome.TRANSIENT_FAILURE);
        assertThat(results.get(3).error()).contains("not sent");
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        // the broken connection was not pooled: the next batch opens a new one
        assertThat(proxied.sendAll(batch(5, 2))).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SendResult.Outcome.SENT));
        assertThat(smtp.getReceivedMessages()).hasSize(4);
        assertThat(proxy.accepted()).isEqualTo(2);
    }
}
