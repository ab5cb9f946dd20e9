package io.herald.saga.channel;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Refuses outbound requests to addresses inside the network (loopback, private, link-local, site-local,
 * multicast, unspecified) unless allowed, so a campaign or webhook URL cannot reach internal services
 * (SSRF). Every address the name resolves to is checked.
 */
public final class OutboundUrlGuard {

    private final boolean allowPrivate;

    public OutboundUrlGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Why the URL may not be called, or empty when it may. */
    public Optional<String> refusal(URI uri) {
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            return Optional.of("only absolute http and https URLs are allowed");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || address.isMulticastAddress() || isUniqueLocal(address)) {
                    return Optional.of("the host resolves to an internal address (" + address.getHostAddress()
                                               + "); set herald.delivery.allow-private-targets (HERALD_DELIVERY_ALLOW_PRIVATE_TARGETS=true) to allow it");
                }
            }
        } catch (UnknownHostException e) {
            return Optional.of("the host does not resolve");
        }
        return Optional.empty();
    }

    private static boolean isUniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc; // fc00::/7
    }
}
