package io.herald.saga.channel;

import io.herald.api.campaign.Channel;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * E-mail over SMTP: multipart text and HTML, a per-recipient unsubscribe link as
 * {@code List-Unsubscribe} with {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 8058).
 * {@link #sendAll} sends a batch over one SMTP connection. A message the server refused is a
 * permanent failure for a bad address, transient otherwise; a connection lost mid-batch leaves the
 * unsent messages {@code UNKNOWN} (never blindly repeated).
 */
public final class EmailChannel implements ChannelAdapter {

    private final JavaMailSender sender;
    private final InternetAddress from;

    public EmailChannel(JavaMailSender sender, String from) {
        pinStreamProvider();
        this.sender = sender;
        try {
            this.from = new InternetAddress(from, true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("herald.channels.email.from is not an address: " + from, e);
        }
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
        try {
            sender.send(mimes.toArray(MimeMessage[]::new));
            for (int i = 0; i < mimes.size(); i++) {
                results.set(positions.get(i), SendResult.sent(messageId(mimes.get(i))));
            }
        } catch (MailSendException e) {
            Map<Object, Exception> failed = e.getFailedMessages();
            for (int i = 0; i < mimes.size(); i++) {
                Exception failure = failed.get(mimes.get(i));
                SendResult result;
                if (failure == null) {
                    result = failed.isEmpty() ? SendResult.unknown("SMTP error: " + e.getMessage())
                                              : SendResult.sent(messageId(mimes.get(i)));
                } else if (failure instanceof SendFailedException sfe && sfe.getInvalidAddresses() != null
                        && sfe.getInvalidAddresses().length > 0) {
                    result = SendResult.permanentFailure("address refused: " + sfe.getMessage());
                } else if (failure instanceof SendFailedException) {
                    result = SendResult.transientFailure("SMTP server refused: " + failure.getMessage());
                } else {
                    result = SendResult.unknown("SMTP connection failed: " + failure.getClass().getSimpleName());
                }
                results.set(positions.get(i), result);
            }
        } catch (MailAuthenticationException e) {
            for (Integer position : positions) {
                results.set(position, SendResult.transientFailure("SMTP authentication failed"));
            }
        } catch (MailException e) {
            for (Integer position : positions) {
                results.set(position, SendResult.transientFailure("SMTP unavailable: " + e.getClass().getSimpleName()));
            }
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
        for (Map.Entry<String, String> entry : message.metadata().entrySet()) {
            mime.setHeader("X-Herald-" + entry.getKey(), entry.getValue());
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
