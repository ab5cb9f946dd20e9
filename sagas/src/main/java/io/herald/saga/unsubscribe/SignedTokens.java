package io.herald.saga.unsubscribe;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * The signed tokens in the links Herald puts in messages (unsubscribe, opens, clicks): {@code <payload>.<mac>}, both
 * base64url without padding, the MAC an HMAC-SHA256 of the payload (cut to {@code macBytes}). What the payload holds
 * is the caller's; the ids in it are written with {@link #writeId} and read with {@link #readId}.
 */
public final class SignedTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte ABSENT = 0;
    private static final byte UUID_ID = 1;
    private static final byte TEXT_ID = 2;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final int macBytes;
    private final int maxTokenLength;

    /**
     * @param secret         the HMAC key (at least 32 bytes); {@code what} names it in the refusal
     * @param macBytes       how much of the 32-byte MAC a token carries
     * @param maxTokenLength longest token {@link #verify} looks at
     */
    public SignedTokens(byte[] secret, String what, int macBytes, int maxTokenLength) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("The " + what + " secret must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.macBytes = macBytes;
        this.maxTokenLength = maxTokenLength;
    }

    public String sign(byte[] payload) {
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
    }

    /** The payload of a token signed with this key, or null when it is malformed, cut short or tampered with. */
    public byte[] verify(String token) {
        if (token == null || token.length() > maxTokenLength) {
            return null;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return null;
        }
        byte[] payload = decode(token.substring(0, dot));
        byte[] signature = decode(token.substring(dot + 1));
        return payload == null || signature == null || !MessageDigest.isEqual(mac(payload), signature) ? null : payload;
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(payload), macBytes);
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

    /** Ids in canonical UUID form take 16 bytes; anything else is kept as UTF-8 text (up to 255 bytes); null too. */
    public static void writeId(ByteArrayOutputStream out, String id) {
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
            throw new IllegalArgumentException("Id too long for a signed link");
        }
        out.write(TEXT_ID);
        out.write(text.length);
        out.writeBytes(text);
    }

    /** An id written by {@link #writeId}; a {@link RuntimeException} for bytes that are not one. */
    public static String readId(ByteBuffer in) {
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
