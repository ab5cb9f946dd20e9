package io.herald.saga.unsubscribe;

import io.herald.api.campaign.Channel;
import io.herald.saga.delivery.UnsubscribeLinks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Unsubscribe links {@code <public-url>/unsubscribe/<token>} whose token is
 * {@code base64url(payload) "." base64url(HMAC-SHA256(secret, payload))}. The payload is binary and
 * compact (about 40 bytes for UUID ids): a format version, the channel, the contact id, the campaign
 * id and the issue time in epoch seconds. Tokens never expire (links in old mails keep working);
 * verification compares MACs in constant time and refuses any change to the token, including
 * non-canonical base64.
 */
public final class SignedUnsubscribeLinks implements UnsubscribeLinks {

    /** The path of the links, below the public URL. */
    public static final String PATH = "/unsubscribe/";
    /** Longest token accepted for verification (well above what {@link #token} makes). */
    static final int MAX_TOKEN_LENGTH = 1000;

    private static final byte VERSION = 1;
    private static final byte ABSENT = 0;
    private static final byte UUID_ID = 1;
    private static final byte TEXT_ID = 2;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final String baseUrl;
    private final SecretKeySpec key;
    private final Clock clock;

    /**
     * @param publicUrl where recipients reach Herald, e.g. {@code https://herald.example.com}
     * @param secret    the HMAC key (at least 32 bytes)
     */
    public SignedUnsubscribeLinks(String publicUrl, byte[] secret, Clock clock) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("The unsubscribe secret must have at least 32 bytes");
        }
        String base = publicUrl == null ? "" : publicUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.baseUrl = base;
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.clock = clock;
    }

    /** What a token says: who unsubscribes from which channel, from which campaign's message, since when. */
    public record Link(String contactId, Channel channel, String campaignId, Instant issuedAt) {
    }

    @Override
    public String urlFor(String contactId, Channel channel, String campaignId) {
        return baseUrl + PATH + token(contactId, channel, campaignId);
    }

    /** A signed token for this contact, channel and campaign (null for messages outside a campaign). */
    public String token(String contactId, Channel channel, String campaignId) {
        if (contactId == null || contactId.isBlank() || channel == null) {
            throw new IllegalArgumentException("An unsubscribe link needs a contact and a channel");
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream(48);
        payload.write(VERSION);
        payload.write(channelCode(channel));
        writeId(payload, contactId);
        writeId(payload, campaignId);
        long seconds = clock.instant().getEpochSecond();
        payload.write(ByteBuffer.allocate(8).putLong(seconds).array(), 4, 4); // unsigned seconds, good until 2106
        byte[] bytes = payload.toByteArray();
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(bytes));
    }

    /** The link a token stands for, or empty when it is malformed, tampered with or signed with another secret. */
    public Optional<Link> verify(String token) {
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

    private static Optional<Link> parse(byte[] payload) {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            if (in.get() != VERSION) {
                return Optional.empty();
            }
            Channel channel = channelOf(in.get());
            String contactId = readId(in);
            String campaignId = readId(in);
            long seconds = Integer.toUnsignedLong(in.getInt());
            if (channel == null || contactId == null || in.hasRemaining()) {
                return Optional.empty();
            }
            return Optional.of(new Link(contactId, channel, campaignId, Instant.ofEpochSecond(seconds)));
        } catch (RuntimeException e) { // BufferUnderflowException, bad lengths: signed by us, so never, but refuse
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(payload);
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
            throw new IllegalArgumentException("Id too long for an unsubscribe link");
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

    /** Fixed codes, so reordering {@link Channel} never changes what old links mean. */
    private static byte channelCode(Channel channel) {
        return switch (channel) {
            case EMAIL -> 'E';
            case SMS -> 'S';
            case WEBHOOK -> 'W';
        };
    }

    private static Channel channelOf(byte code) {
        return switch (code) {
            case 'E' -> Channel.EMAIL;
            case 'S' -> Channel.SMS;
            case 'W' -> Channel.WEBHOOK;
            default -> null;
        };
    }
}
