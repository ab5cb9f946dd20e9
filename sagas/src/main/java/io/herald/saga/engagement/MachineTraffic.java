package io.herald.saga.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Tells opens and clicks that a machine made from a person's, from what Herald knows without keeping the address:
 * the class of the user agent, the time since the send, and what happened to the same delivery before. Machine
 * traffic is flagged with a reason, never dropped (reports show human and all counts side by side).
 * <ul>
 *   <li>{@value #IMAGE_PROXY}: an open fetched by an image proxy (Gmail's GoogleImageProxy, Yahoo's YahooMailProxy,
 *       Apple Mail Privacy Protection, whose fetches say only {@code Mozilla/5.0});</li>
 *   <li>{@value #AUTOMATED}: a user agent of a scanner, crawler, link preview or HTTP library;</li>
 *   <li>{@value #SOON_AFTER_SEND}: within {@code machineWindow} of the send (security gateways open and follow
 *       everything as it arrives);</li>
 *   <li>{@value #LINK_BURST}: a click on another link of the same e-mail within a second of the previous click (a
 *       scanner following every link);</li>
 *   <li>{@value #CLICK_BEFORE_OPEN}: a click on an e-mail that carried the pixel before any open of it.</li>
 * </ul>
 */
public final class MachineTraffic {

    public static final String IMAGE_PROXY = "image-proxy";
    public static final String AUTOMATED = "automated-user-agent";
    public static final String SOON_AFTER_SEND = "soon-after-send";
    public static final String LINK_BURST = "link-burst";
    public static final String CLICK_BEFORE_OPEN = "click-before-open";

    /** Clicks on different links of one e-mail closer than this are a scanner's. */
    static final Duration BURST = Duration.ofSeconds(1);

    private static final List<String> AUTOMATED_MARKS = List.of(
            "bot", "crawler", "spider", "scanner", "preview", "headless", "python", "curl/", "wget", "go-http-client",
            "java/", "okhttp", "axios", "node-fetch", "libwww", "httpclient", "barracuda", "mimecast", "proofpoint",
            "safelinks", "urldefense");

    private final Duration machineWindow;

    /** @param machineWindow opens and clicks this soon after the send are a machine's (zero: no such rule) */
    public MachineTraffic(Duration machineWindow) {
        this.machineWindow = machineWindow == null || machineWindow.isNegative() ? Duration.ZERO : machineWindow;
    }

    /** The verdict: a machine's (with the reason) or not. */
    public record Verdict(boolean machine, String reason) {

        static final Verdict HUMAN = new Verdict(false, null);

        static Verdict machine(String reason) {
            return new Verdict(true, reason);
        }
    }

    /**
     * What kind of software a user agent is, kept instead of the header itself: {@code image-proxy:google},
     * {@code image-proxy:yahoo}, {@code image-proxy:apple}, {@code automated}, {@code mobile}, {@code mail-client},
     * {@code browser}, {@code other} or {@code unknown} (no header).
     */
    public static String userAgentClass(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown";
        }
        String ua = userAgent.strip();
        if (ua.contains("GoogleImageProxy") || ua.contains("ggpht.com")) {
            return "image-proxy:google";
        }
        if (ua.contains("YahooMailProxy")) {
            return "image-proxy:yahoo";
        }
        if (ua.equals("Mozilla/5.0")) {
            return "image-proxy:apple"; // Apple Mail Privacy Protection's fetches say nothing more
        }
        String lower = ua.toLowerCase(Locale.ROOT);
        for (String mark : AUTOMATED_MARKS) {
            if (lower.contains(mark)) {
                return "automated";
            }
        }
        if (lower.contains("mobile") || lower.contains("android") || lower.contains("iphone") || lower.contains("ipad")) {
            return "mobile";
        }
        if (lower.contains("thunderbird") || lower.contains("outlook") || lower.contains("microsoft office")
                || lower.startsWith("mozilla/") && lower.contains("applewebkit") && !lower.contains("safari")) {
            return "mail-client"; // desktop mail clients (Apple Mail's WebKit view has no "Safari")
        }
        return lower.startsWith("mozilla/") ? "browser" : "other";
    }

    /** An open of an e-mail sent at {@code sentAt}, fetched at {@code at} by a user agent of {@code userAgentClass}. */
    public Verdict open(String userAgentClass, Instant sentAt, Instant at) {
        if (userAgentClass.startsWith("image-proxy")) {
            return Verdict.machine(IMAGE_PROXY);
        }
        if (userAgentClass.equals("automated")) {
            return Verdict.machine(AUTOMATED);
        }
        if (soonAfterSend(sentAt, at)) {
            return Verdict.machine(SOON_AFTER_SEND);
        }
        return Verdict.HUMAN;
    }

    /**
     * A click on link {@code linkIndex} at {@code at}.
     *
     * @param pixel         the e-mail carried the open pixel
     * @param firstOpenAt   the e-mail's first open, or null
     * @param lastClickAt   the e-mail's previous click, or null
     * @param lastClickLink the link of the previous click (its index)
     */
    public Verdict click(String userAgentClass, Instant sentAt, Instant at, int linkIndex, boolean pixel,
                         Instant firstOpenAt, Instant lastClickAt, int lastClickLink) {
        if (userAgentClass.equals("automated") || userAgentClass.startsWith("image-proxy")) {
            return Verdict.machine(AUTOMATED);
        }
        if (soonAfterSend(sentAt, at)) {
            return Verdict.machine(SOON_AFTER_SEND);
        }
        if (lastClickAt != null && lastClickLink != linkIndex
                && Duration.between(lastClickAt, at).abs().compareTo(BURST) < 0) {
            return Verdict.machine(LINK_BURST);
        }
        if (pixel && firstOpenAt == null) {
            return Verdict.machine(CLICK_BEFORE_OPEN);
        }
        return Verdict.HUMAN;
    }

    private boolean soonAfterSend(Instant sentAt, Instant at) {
        // the send time is signed to the second: "within the window" counts from the end of that second
        return !machineWindow.isZero() && at.isBefore(sentAt.plusSeconds(1).plus(machineWindow));
    }
}
