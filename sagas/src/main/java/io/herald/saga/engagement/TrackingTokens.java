package io.herald.saga.engagement;

import io.herald.saga.unsubscribe.SignedTokens;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The tokens of e-mail tracking links: {@code base64url(payload) "." base64url(MAC)} where MAC is HMAC-SHA256 of the
 * payload, cut to its first 16 bytes (128 bits). The payload is binary: a format version, the kind (open pixel or
 * click), whether the e-mail carried a pixel, the contact, the campaign or the flow's run and send node, the send
 * time in epoch seconds and, for a click, the link's number, the number of links and the target URL itself. The
 * target is signed, so a click token can only ever redirect to a URL Herald put in an e-mail (no open redirect), and
 * nothing needs to be stored per link. Tokens never expire (links in old mails keep working); verification compares
 * MACs in constant time and refuses any change, including non-canonical base64, and never throws.
 */
public final class TrackingTokens {

    /** Longest token accepted for verification (a click token holds its URL: 2,000 characters of URL fit). */
    public static final int MAX_TOKEN_LENGTH = 4096;
    /** Longest URL (in UTF-8 bytes) signed into a click token; longer links are left as they are. */
    public static final int MAX_URL_BYTES = 2048;

    private static final byte VERSION = 1;
    private static final byte OPEN = 'O';
    private static final byte CLICK = 'C';
    private static final byte CAMPAIGN = 'C';
    private static final byte FLOW = 'F';
    private static final int MAC_BYTES = 16;

    private final SignedTokens signed;

    /** @param secret the HMAC key (at least 32 bytes) */
    public TrackingTokens(byte[] secret) {
        this.signed = new SignedTokens(secret, "tracking link", MAC_BYTES, MAX_TOKEN_LENGTH);
    }

    /**
     * The e-mail a token was made for.
     *
     * @param contactId  the recipient
     * @param campaignId the campaign that sent it, or null for a flow's send
     * @param flowId     the flow, or null for a campaign's
     * @param runId      the flow run, or null
     * @param nodeId     the flow's send node, or null
     * @param sentAt     when it was rendered for sending (second precision)
     * @param pixel      whether it carried the open pixel
     */
    public record Send(String contactId, String campaignId, String flowId, String runId, String nodeId,
                       Instant sentAt, boolean pixel) {

        public static Send ofCampaign(String campaignId, String contactId, Instant sentAt, boolean pixel) {
            return new Send(contactId, campaignId, null, null, null, sentAt, pixel);
        }

        public static Send ofFlow(String flowId, String runId, String nodeId, String contactId, Instant sentAt,
                                  boolean pixel) {
            return new Send(contactId, null, flowId, runId, nodeId, sentAt, pixel);
        }

        /** The delivery's id: {@code <campaignId>:<contactId>}, or {@code <runId>:<nodeId>} for a flow's send. */
        public String deliveryId() {
            return campaignId != null ? campaignId + ":" + contactId : runId + ":" + nodeId;
        }
    }

    /** What a verified token says: an open (link null) or a click on link {@code linkIndex} of {@code links}. */
    public record Verified(Send send, boolean click, int linkIndex, int links, String link) {
    }

    public String openToken(Send send) {
        return sign(payload(OPEN, send, 0, 0, null));
    }

    /** A click token for link {@code index} (of {@code links}) of the e-mail, to {@code url}. */
    public String clickToken(Send send, int index, int links, String url) {
        if (url == null || url.getBytes(StandardCharsets.UTF_8).length > MAX_URL_BYTES) {
            throw new IllegalArgumentException("A tracked link needs a URL of at most " + MAX_URL_BYTES + " bytes");
        }
        if (index < 0 || index >= links || links > 0xFFFF) {
            throw new IllegalArgumentException("Link " + index + " of " + links + " cannot be tracked");
        }
        return sign(payload(CLICK, send, index, links, url));
    }

    /** What the token says, or empty when it is malformed, cut short, tampered with or signed with another secret. */
    public Optional<Verified> verify(String token) {
        byte[] payload = signed.verify(token);
        return payload == null ? Optional.empty() : parse(payload);
    }

    private static byte[] payload(byte kind, Send send, int index, int links, String url) {
        if (send.contactId() == null || send.sentAt() == null
                || (send.campaignId() == null) == (send.runId() == null || send.nodeId() == null)) {
            throw new IllegalArgumentException("A tracked e-mail needs a contact, a send time, and a campaign or a flow's run and node");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        out.write(VERSION);
        out.write(kind);
        out.write(send.pixel() ? 1 : 0);
        SignedTokens.writeId(out, send.contactId());
        if (send.campaignId() != null) {
            out.write(CAMPAIGN);
            SignedTokens.writeId(out, send.campaignId());
        } else {
            out.write(FLOW);
            SignedTokens.writeId(out, send.flowId());
            SignedTokens.writeId(out, send.runId());
            SignedTokens.writeId(out, send.nodeId());
        }
        out.write(ByteBuffer.allocate(8).putLong(send.sentAt().getEpochSecond()).array(), 4, 4); // until 2106
        if (kind == CLICK) {
            out.writeBytes(ByteBuffer.allocate(4).putShort((short) index).putShort((short) links).array());
            byte[] target = url.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(2).putShort((short) target.length).array());
            out.writeBytes(target);
        }
        return out.toByteArray();
    }

    private String sign(byte[] payload) {
        return signed.sign(payload);
    }

    private static Optional<Verified> parse(byte[] payload) {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            if (in.get() != VERSION) {
                return Optional.empty();
            }
            byte kind = in.get();
            byte flags = in.get();
            String contactId = SignedTokens.readId(in);
            byte source = in.get();
            String campaignId = null;
            String flowId = null;
            String runId = null;
            String nodeId = null;
            if (source == CAMPAIGN) {
                campaignId = SignedTokens.readId(in);
            } else if (source == FLOW) {
                flowId = SignedTokens.readId(in);
                runId = SignedTokens.readId(in);
                nodeId = SignedTokens.readId(in);
            } else {
                return Optional.empty();
            }
            Instant sentAt = Instant.ofEpochSecond(Integer.toUnsignedLong(in.getInt()));
            Send send = new Send(contactId, campaignId, flowId, runId, nodeId, sentAt, flags == 1);
            if (contactId == null || (campaignId == null && (runId == null || nodeId == null))
                    || flags < 0 || flags > 1) {
                return Optional.empty();
            }
            if (kind == OPEN && !in.hasRemaining()) {
                return Optional.of(new Verified(send, false, 0, 0, null));
            }
            if (kind != CLICK) {
                return Optional.empty();
            }
            int index = Short.toUnsignedInt(in.getShort());
            int links = Short.toUnsignedInt(in.getShort());
            byte[] target = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(target);
            if (in.hasRemaining() || index >= links) {
                return Optional.empty();
            }
            return Optional.of(new Verified(send, true, index, links, new String(target, StandardCharsets.UTF_8)));
        } catch (RuntimeException e) { // BufferUnderflowException, bad lengths: signed by us, so never, but refuse
            return Optional.empty();
        }
    }
}
