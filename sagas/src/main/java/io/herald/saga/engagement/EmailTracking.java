package io.herald.saga.engagement;

import io.herald.api.campaign.CampaignContent;
import io.herald.saga.channel.OutboundMessage;
import io.herald.saga.unsubscribe.SignedUnsubscribeLinks;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts open and click tracking into a rendered e-mail: a 1×1 pixel {@code <public-url>/t/o/<token>} at the end of the
 * HTML body (when opens are tracked and there is an HTML body), and every trackable link of the HTML and text bodies
 * replaced by {@code <public-url>/t/c/<token>} (when clicks are tracked), the token signing the original URL
 * ({@link TrackingTokens}, {@link LinkRewriter}). The unsubscribe link and Herald's own links are never rewritten.
 * Only e-mail is tracked; other messages come back unchanged.
 */
public final class EmailTracking {

    /** The pixel's path below the public URL. */
    public static final String OPEN_PATH = "/t/o/";
    /** The redirects' path below the public URL. */
    public static final String CLICK_PATH = "/t/c/";
    /** Distinct links tracked in one e-mail at most (a token numbers them in 16 bits). */
    static final int MAX_LINKS = 0xFFFF;

    private final String baseUrl;
    private final TrackingTokens tokens;
    private final Clock clock;

    public EmailTracking(String publicUrl, TrackingTokens tokens, Clock clock) {
        String base = publicUrl == null ? "" : publicUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.baseUrl = base;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A campaign's e-mail to a contact, tracked as the campaign's content asks. */
    public OutboundMessage forCampaign(OutboundMessage message, String campaignId, String contactId,
                                       CampaignContent content) {
        boolean opens = content.opensTracked() && message.html() != null;
        return track(message, TrackingTokens.Send.ofCampaign(campaignId, contactId, clock.instant(), opens),
                     opens, content.clicksTracked());
    }

    /** A flow send node's e-mail to a contact, tracked as the node's content asks. */
    public OutboundMessage forFlow(OutboundMessage message, String flowId, String runId, String nodeId,
                                   String contactId, CampaignContent content) {
        boolean opens = content.opensTracked() && message.html() != null;
        return track(message, TrackingTokens.Send.ofFlow(flowId, runId, nodeId, contactId, clock.instant(), opens),
                     opens, content.clicksTracked());
    }

    private OutboundMessage track(OutboundMessage message, TrackingTokens.Send send, boolean opens, boolean clicks) {
        if (!opens && !clicks || message.html() == null && message.text() == null) {
            return message;
        }
        String html = message.html();
        String text = message.text();
        if (clicks) {
            LinkRewriter rewriter = new LinkRewriter(url -> untracked(url, message.unsubscribeUrl()));
            List<String> links = rewriter.links(html, text);
            if (links.size() > MAX_LINKS) {
                links = links.subList(0, MAX_LINKS); // the links after these are left as written
            }
            if (!links.isEmpty()) {
                Map<String, String> tracked = new HashMap<>();
                for (int i = 0; i < links.size(); i++) {
                    tracked.put(links.get(i), baseUrl + CLICK_PATH + tokens.clickToken(send, i, links.size(), links.get(i)));
                }
                html = rewriter.rewriteHtml(html, tracked::get);
                text = rewriter.rewriteText(text, tracked::get);
            }
        }
        if (opens && html != null) {
            html = LinkRewriter.withPixel(html, baseUrl + OPEN_PATH + tokens.openToken(send));
        }
        return new OutboundMessage(message.idempotencyKey(), message.to(), message.subject(), text, html,
                                   message.payload(), message.unsubscribeUrl(), message.metadata());
    }

    /** The unsubscribe link, and every link to Herald's unsubscribe pages or tracking paths, stay as they are. */
    private boolean untracked(String url, String unsubscribeUrl) {
        return url.equals(unsubscribeUrl) || url.startsWith(baseUrl + SignedUnsubscribeLinks.PATH)
                || url.startsWith(baseUrl + OPEN_PATH) || url.startsWith(baseUrl + CLICK_PATH);
    }
}
