package io.herald.saga.channel;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an e-mail Herald sends names its delivery, so that providers' bounce and complaint notifications can be
 * matched to it: an {@code X-Herald-Delivery} header with the delivery id ({@code <campaignId>:<contactId>} for a
 * campaign's e-mail, {@code <runId>:<nodeId>} for a flow's) and a stable {@code Message-ID}
 * {@code <campaignId.contactId@domain>} / {@code <runId.nodeId@domain>} (the sender address's domain).
 */
public final class EmailHeaders {

    /** The header carrying the delivery id. */
    public static final String DELIVERY = "X-Herald-Delivery";

    /** A delivery id: a UUID, a colon, a UUID or a flow node id. */
    private static final Pattern DELIVERY_ID = Pattern.compile(
            "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}):([A-Za-z0-9_-]{1,64})");
    /** Herald's Message-ID: the delivery id with a dot for the colon, then the domain; angle brackets optional. */
    private static final Pattern MESSAGE_ID = Pattern.compile(
            "\\s*<?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\.([A-Za-z0-9_-]{1,64})"
                    + "@[^<>@\\s]+?>?\\s*");

    private EmailHeaders() {
    }

    /** The message's delivery id (its idempotency key) when it has that form, else null. */
    public static String deliveryId(OutboundMessage message) {
        return normalized(message.idempotencyKey());
    }

    /** {@code value} as a delivery id (lower-case UUID), or null when it is not one. */
    public static String normalized(String value) {
        if (value == null) {
            return null;
        }
        Matcher matcher = DELIVERY_ID.matcher(value.strip());
        return matcher.matches() ? matcher.group(1).toLowerCase(Locale.ROOT) + ":" + matcher.group(2) : null;
    }

    /** The Message-ID of a delivery's e-mail, with its angle brackets. */
    public static String messageId(String deliveryId, String domain) {
        return "<" + deliveryId.replace(':', '.') + "@" + domain + ">";
    }

    /** The delivery id in a Message-ID Herald made, or null when it is not one of Herald's. */
    public static String deliveryOfMessageId(String messageId) {
        if (messageId == null) {
            return null;
        }
        Matcher matcher = MESSAGE_ID.matcher(messageId);
        return matcher.matches() ? matcher.group(1).toLowerCase(Locale.ROOT) + ":" + matcher.group(2) : null;
    }

    /** The domain of an address ({@code herald.local} when it has none). */
    public static String domainOf(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        String domain = at < 0 ? "" : address.substring(at + 1).strip();
        return domain.isEmpty() || !domain.matches("[A-Za-z0-9.-]+") ? "herald.local" : domain.toLowerCase(Locale.ROOT);
    }
}
