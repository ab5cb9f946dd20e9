package io.herald.gateway.support;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.util.ArrayList;
import java.util.List;

/** What a real SMTP server (GreenMail) received. */
public final class Mailbox {

    private Mailbox() {
    }

    /** The messages GreenMail received for {@code address} (its first recipient), oldest first. */
    public static List<MimeMessage> to(GreenMail mail, String address) throws MessagingException {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            if (message.getAllRecipients()[0].toString().equals(address)) {
                found.add(message);
            }
        }
        return found;
    }
}
