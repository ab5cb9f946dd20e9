package io.herald.saga.unsubscribe;

import io.herald.api.campaign.Channel;
import io.herald.saga.delivery.UnsubscribeLinks;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

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
    /** The whole HMAC-SHA256: links made before the signing was shared keep working. */
    private static final int MAC_BYTES = 32;

    private final String baseUrl;
    private final SignedTokens signed;
    private final Clock clock;

    /**
     * @param publicUrl where recipients reach Herald, e.g. {@code https://herald.example.com}
     * @param secret    the HMAC key (at least 32 bytes)
     */
    public SignedUnsubscribeLinks(String publicUrl, byte[] secret, Clock clock) {
        String base = publicUrl == null ? "" : publicUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.baseUrl = base;
        this.signed = new SignedTokens(secret, "unsubscribe", MAC_BYTES, MAX_TOKEN_LENGTH);
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
        SignedTokens.writeId(payload, contactId);
        SignedTokens.writeId(payload, campaignId);
        long seconds = clock.instant().getEpochSecond();
        payload.write(ByteBuffer.allocate(8).putLong(seconds).array(), 4, 4); // unsigned seconds, good until 2106
        byte[] bytes = payload.toByteArray();
        return signed.sign(bytes);
    }

    /** The link a token stands for, or empty when it is malformed, tampered with or signed with another secret. */
    public Optional<Link> verify(String token) {
        byte[] payload = signed.verify(token);
        return payload == null ? Optional.empty() : parse(payload);
    }

    private static Optional<Link> parse(byte[] payload) {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            if (in.get() != VERSION) {
                return Optional.empty();
            }
            Channel channel = channelOf(in.get());
            String contactId = SignedTokens.readId(in);
            String campaignId = SignedTokens.readId(in);
            long seconds = Integer.toUnsignedLong(in.getInt());
            if (channel == null || contactId == null || in.hasRemaining()) {
                return Optional.empty();
            }
            return Optional.of(new Link(contactId, channel, campaignId, Instant.ofEpochSecond(seconds)));
        } catch (RuntimeException e) { // BufferUnderflowException, bad lengths: signed by us, so never, but refuse
            return Optional.empty();
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
