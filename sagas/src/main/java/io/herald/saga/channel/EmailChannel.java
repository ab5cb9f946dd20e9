package io.herald.saga.channel;

import io.herald.api.campaign.Channel;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * E-mail over SMTP: multipart text and HTML, a per-recipient unsubscribe link as
 * {@code List-Unsubscribe} with {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 8058), and the
 * delivery it is ({@link EmailHeaders}: {@code X-Herald-Delivery} and a stable {@code Message-ID}) so providers'
 * bounce and complaint notifications can be matched to it.
 * <p>
 * {@link #sendAll} sends its messages one after the other over one SMTP connection, taken from a small
 * pool of open connections (Spring's {@link JavaMailSenderImpl} settings: host, port, credentials,
 * {@code mail.*} properties), so successive groups of a campaign do not pay for connecting, TLS and
 * authentication again. A pooled connection is checked ({@code NOOP}) before it is used and replaced
 * when it is gone. Outcomes: a message the server refused is a permanent failure for a bad address (with the
 * server's reply code: a 5xx for the recipient is a hard bounce, {@link SendResult#hardBounce()}), transient
 * otherwise; a connection lost while a message was being sent leaves that message
 * {@code UNKNOWN} (it may have been accepted: never blindly repeated), and the messages after it, never
 * attempted, are transient failures (retried later). With any other {@link JavaMailSender} a batch goes
 * through the sender itself (a connection per call).
 */
public final class EmailChannel implements ChannelAdapter, AutoCloseable {

    private final JavaMailSender sender;
    /** The SMTP settings the pool connects with; null: the sender's own connection per call. */
    private final JavaMailSenderImpl smtp;
    private final InternetAddress from;
    /** The right-hand side of the Message-IDs Herald sets (the sender address's domain). */
    private final String messageIdDomain;
    /** Connected transports not in use, most recently used first. */
    private final BlockingDeque<Transport> idle;
    private volatile boolean closed;

    /**
     * @param connections open SMTP connections kept between batches (at least 1; more are opened when more
     *                    batches are sent at once, and closed after use)
     */
    public EmailChannel(JavaMailSender sender, String from, int connections) {
        pinStreamProvider();
        this.sender = sender;
        this.smtp = sender instanceof JavaMailSenderImpl impl ? impl : null;
        this.idle = new LinkedBlockingDeque<>(Math.max(1, connections));
        try {
            this.from = new InternetAddress(from, true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("herald.channels.email.from is not an address: " + from, e);
        }
        String address = this.from.getAddress();
        this.messageIdDomain = EmailHeaders.domainOf(address);
    }

    /**
     * Jakarta Mail 2.1 looks its stream provider up with a {@link java.util.ServiceLoader} scan of the whole class
     * path for every body part, multipart and encoded header it creates (jakartaee/mail-api#699, #861): with
     * Herald's class path that was the largest single cost of building a message. Naming the implementation in
     * the system property the lookup reads first makes it a class lookup. Left alone when an operator set it, or
     * when Angus Mail is not the implementation on the class path.
     */
    static void pinStreamProvider() {
        if (System.getProperty(STREAM_PROVIDER_PROPERTY) != null) {
            return;
        }
        try {
            Class.forName(ANGUS_STREAM_PROVIDER, false, EmailChannel.class.getClassLoader());
            System.setProperty(STREAM_PROVIDER_PROPERTY, ANGUS_STREAM_PROVIDER);
        } catch (ClassNotFoundException | LinkageError e) {
            // another Jakarta Mail implementation: its own lookup
        }
    }

    static final String STREAM_PROVIDER_PROPERTY = "jakarta.mail.util.StreamProvider";
    private static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        return sendAll(List.of(message)).get(0);
    }

    @Override
    public List<SendResult> sendAll(List<OutboundMessage> messages) {
        List<SendResult> results = new ArrayList<>(messages.size());
        List<MimeMessage> mimes = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (OutboundMessage message : messages) {
            try {
                mimes.add(build(message));
                positions.add(results.size());
                results.add(null);
            } catch (MessagingException | IllegalArgumentException e) {
                results.add(SendResult.permanentFailure("invalid message: " + e.getMessage()));
            }
        }
        if (mimes.isEmpty()) {
            return results;
        }
        List<SendResult> sent = smtp == null ? sendThroughSender(mimes) : sendPooled(mimes);
        for (int i = 0; i < sent.size(); i++) {
            results.set(positions.get(i), sent.get(i));
        }
        return results;
    }

    /** Over one pooled connection, one message after the other. */
    private List<SendResult> sendPooled(List<MimeMessage> mimes) {
        List<SendResult> results = new ArrayList<>(mimes.size());
        Transport transport;
        try {
            transport = borrow();
        } catch (AuthenticationFailedException e) {
            return mimes.stream().map(m -> SendResult.transientFailure("SMTP authentication failed")).toList();
        } catch (MessagingException | IllegalStateException e) {
            return mimes.stream().map(m -> SendResult.transientFailure(
                    "SMTP unavailable: " + e.getClass().getSimpleName())).toList();
        }
        boolean lost = false;
        for (MimeMessage mime : mimes) {
            if (lost) {
                results.add(SendResult.transientFailure("not sent: the SMTP connection was lost before it"));
                continue;
            }
            try {
                transport.sendMessage(mime, mime.getAllRecipients());
                results.add(SendResult.sent(messageId(mime)));
            } catch (SendFailedException e) {
                if (noAnswer(e)) {
                    results.add(SendResult.unknown("SMTP connection lost: no answer from the server"));
                    lost = true;
                    continue;
                }
                // the server answered: this message was not accepted
                results.add(refusal(e));
                lost = !transport.isConnected();
            } catch (MessagingException e) {
                // the connection failed while this message was on its way: the server may have accepted it
                results.add(SendResult.unknown("SMTP connection failed: " + e.getClass().getSimpleName()));
                lost = true;
            }
        }
        if (lost) {
            closeQuietly(transport);
        } else {
            giveBack(transport);
        }
        return results;
    }

    /**
     * The server answered and did not take the message. Refused recipients are a permanent failure (with the
     * server's reply code: a 5xx for the recipient is a hard bounce); a refusal of anything else is transient.
     */
    static SendResult refusal(SendFailedException e) {
        if (e.getInvalidAddresses() == null || e.getInvalidAddresses().length == 0) {
            return SendResult.transientFailure("SMTP server refused: " + e.getMessage());
        }
        int code = 0;
        Exception cause = e;
        for (int depth = 0; cause != null && depth < 10 && code == 0; depth++) {
            if (cause instanceof SMTPAddressFailedException refused) {
                code = refused.getReturnCode();
            }
            cause = cause instanceof MessagingException m ? m.getNextException() : null;
        }
        String detail = "address refused: " + e.getMessage();
        Exception next = e.getNextException();
        if (next != null && next.getMessage() != null) {
            detail += " (" + next.getMessage().strip() + ")";
        }
        return code >= 500 && code < 600 ? SendResult.refused(code, detail) : SendResult.permanentFailure(detail);
    }

    /** A refusal that is no answer at all: the connection ended (or failed) before the server replied. */
    private static boolean noAnswer(MessagingException failure) {
        Exception cause = failure;
        for (int depth = 0; cause != null && depth < 10; depth++) {
            int code = cause instanceof SMTPSendFailedException e ? e.getReturnCode()
                    : cause instanceof SMTPSenderFailedException e ? e.getReturnCode()
                    : cause instanceof SMTPAddressFailedException e ? e.getReturnCode() : 0;
            if (code < 0 || cause instanceof java.io.IOException) {
                return true;
            }
            cause = cause instanceof MessagingException m ? m.getNextException() : null;
        }
        return false;
    }

    /** A connected transport: a pooled one that still answers, or a new connection. */
    private Transport borrow() throws MessagingException {
        if (closed) {
            throw new IllegalStateException("the e-mail channel is closed");
        }
        for (Transport pooled = idle.pollFirst(); pooled != null; pooled = idle.pollFirst()) {
            if (pooled.isConnected()) { // SMTP NOOP: a connection the server closed meanwhile is replaced
                return pooled;
            }
            closeQuietly(pooled);
        }
        String username = smtp.getUsername();
        String password = smtp.getPassword();
        if (username != null && username.isEmpty()) {
            username = null;
            password = password != null && password.isEmpty() ? null : password;
        }
        String protocol = smtp.getProtocol() != null ? smtp.getProtocol()
                : smtp.getSession().getProperty("mail.transport.protocol");
        Transport transport = smtp.getSession().getTransport(protocol == null ? "smtp" : protocol);
        transport.connect(smtp.getHost(), smtp.getPort(), username, password);
        return transport;
    }

    private void giveBack(Transport transport) {
        if (closed || !idle.offerFirst(transport)) {
            closeQuietly(transport); // shut down, or as many kept open as the pool holds
            return;
        }
        if (closed && idle.remove(transport)) {
            closeQuietly(transport); // shut down meanwhile
        }
    }

    /** Closes the pooled connections (at shutdown). */
    @Override
    public void close() {
        closed = true;
        for (Transport transport = idle.pollFirst(); transport != null; transport = idle.pollFirst()) {
            closeQuietly(transport);
        }
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            // already gone
        }
    }

    /** Through a {@link JavaMailSender} that is not Spring's implementation: one call, its own connection. */
    private List<SendResult> sendThroughSender(List<MimeMessage> mimes) {
        List<SendResult> results = new ArrayList<>(mimes.size());
        try {
            sender.send(mimes.toArray(MimeMessage[]::new));
            mimes.forEach(mime -> results.add(SendResult.sent(messageId(mime))));
        } catch (MailSendException e) {
            Map<Object, Exception> failed = e.getFailedMessages();
            for (MimeMessage mime : mimes) {
                Exception failure = failed.get(mime);
                if (failure == null) {
                    results.add(failed.isEmpty() ? SendResult.unknown("SMTP error: " + e.getMessage())
                                                 : SendResult.sent(messageId(mime)));
                } else if (failure instanceof SendFailedException sfe) {
                    results.add(refusal(sfe));
                } else {
                    results.add(SendResult.unknown("SMTP connection failed: " + failure.getClass().getSimpleName()));
                }
            }
        } catch (MailAuthenticationException e) {
            mimes.forEach(mime -> results.add(SendResult.transientFailure("SMTP authentication failed")));
        } catch (MailException e) {
            mimes.forEach(mime -> results.add(SendResult.transientFailure(
                    "SMTP unavailable: " + e.getClass().getSimpleName())));
        }
        return results;
    }

    private MimeMessage build(OutboundMessage message) throws MessagingException {
        MimeMessage mime = sender.createMimeMessage();
        boolean multipart = message.html() != null && message.text() != null;
        MimeMessageHelper helper = new MimeMessageHelper(mime, multipart, "UTF-8");
        helper.setFrom(from);
        helper.setTo(new InternetAddress(message.to(), true));
        helper.setSubject(message.subject() == null ? "" : message.subject());
        if (multipart) {
            helper.setText(message.text(), message.html());
        } else if (message.html() != null) {
            helper.setText(message.html(), true);
        } else {
            helper.setText(message.text() == null ? "" : message.text(), false);
        }
        if (message.unsubscribeUrl() != null) {
            mime.setHeader("List-Unsubscribe", "<" + message.unsubscribeUrl() + ">");
            mime.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        mime.setHeader("X-Herald-Idempotency-Key", message.idempotencyKey());
        String deliveryId = EmailHeaders.deliveryId(message);
        if (deliveryId != null) {
            mime.setHeader(EmailHeaders.DELIVERY, deliveryId);
        }
        for (Map.Entry<String, String> entry : message.metadata().entrySet()) {
            mime.setHeader("X-Herald-" + entry.getKey(), entry.getValue());
        }
        if (smtp != null) {
            // what the sender does before sending: a date and the headers (Message-ID) written down
            mime.setSentDate(new Date());
            mime.saveChanges();
        }
        if (deliveryId != null) {
            // after saveChanges (which makes a random one); Spring's sender keeps a Message-ID it finds
            mime.setHeader("Message-ID", EmailHeaders.messageId(deliveryId, messageIdDomain));
        }
        return mime;
    }

    private static String messageId(MimeMessage mime) {
        try {
            return mime.getMessageID();
        } catch (MessagingException e) {
            return null;
        }
    }
}
