package io.herald.saga.engagement;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

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
    private static final byte ABSENT = 0;
    private static final byte UUID_ID = 1;
    private static final byte TEXT_ID = 2;
    private static final int MAC_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    /** @param secret the HMAC key (at least 32 bytes) */
    public TrackingTokens(byte[] secret) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("The tracking link secret must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
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
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        byte[] payload = decode(token.substring(0, dot));
        byte[] signature = decode(token.substring(dot + 1));
        if (payload == null || signature == null || !MessageDigest.isEqual(mac(payload), signature)) {
            return Optional.empty();
        }
        return parse(payload);
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
        writeId(out, send.contactId());
        if (send.campaignId() != null) {
            out.write(CAMPAIGN);
            writeId(out, send.campaignId());
        } else {
            out.write(FLOW);
            writeId(out, send.flowId());
            writeId(out, send.runId());
            writeId(out, send.nodeId());
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
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
    }

    private static Optional<Verified> parse(byte[] payload) {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            if (in.get() != VERSION) {
                return Optional.empty();
            }
            byte kind = in.get();
            byte flags = in.get();
            String contactId = readId(in);
            byte source = in.get();
            String campaignId = null;
            String flowId = null;
            String runId = null;
            String nodeId = null;
            if (source == CAMPAIGN) {
                campaignId = readId(in);
            } else if (source == FLOW) {
                flowId = readId(in);
                runId = readId(in);
                nodeId = readId(in);
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

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(payload), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Base64url without padding, and only its canonical spelling (so a token has exactly one form). */
    private static byte[] decode(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            byte[] bytes = DECODER.decode(text);
            return ENCODER.encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Ids in canonical UUID form take 16 bytes; anything else is kept as UTF-8 text (up to 255 bytes). */
    private static void writeId(ByteArrayOutputStream out, String id) {
        if (id == null) {
            out.write(ABSENT);
            return;
        }
        UUID uuid = asCanonicalUuid(id);
        if (uuid != null) {
            out.write(UUID_ID);
            out.writeBytes(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                                   .putLong(uuid.getLeastSignificantBits()).array());
            return;
        }
        byte[] text = id.getBytes(StandardCharsets.UTF_8);
        if (text.length > 255) {
            throw new IllegalArgumentException("Id too long for a tracking link");
        }
        out.write(TEXT_ID);
        out.write(text.length);
        out.writeBytes(text);
    }

    private static String readId(ByteBuffer in) {
        byte kind = in.get();
        return switch (kind) {
            case ABSENT -> null;
            case UUID_ID -> new UUID(in.getLong(), in.getLong()).toString();
            case TEXT_ID -> {
                byte[] text = new byte[Byte.toUnsignedInt(in.get())];
                in.get(text);
                yield new String(text, StandardCharsets.UTF_8);
            }
            default -> throw new IllegalArgumentException("unknown id kind");
        };
    }

    private static UUID asCanonicalUuid(String id) {
        if (id.length() != 36) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(id);
            return id.equals(uuid.toString()) ? uuid : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
