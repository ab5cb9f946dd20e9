package io.herald.api.campaign;

import jakarta.validation.constraints.Size;

/**
 * What a campaign sends, stored as given (templates are rendered by the delivery side).
 * EMAIL uses {@code subject} with {@code body} (text) and/or {@code html}; SMS uses {@code body};
 * WEBHOOK posts {@code payload} (JSON template text) to {@code url}.
 *
 * @param trackOpens  e-mail: put a tracking pixel in the HTML body (opens); absent: true
 * @param trackClicks e-mail: send links of the HTML and text bodies through signed redirects (clicks); absent: true
 */
public record CampaignContent(
        @Size(max = 998) String subject,
        @Size(max = 200_000) String body,
        @Size(max = 500_000) String html,
        @Size(max = 2048) String url,
        @Size(max = 200_000) String payload,
        Boolean trackOpens,
        Boolean trackClicks) {

    /** Content with the default tracking (opens and clicks tracked in e-mail). */
    public CampaignContent(String subject, String body, String html, String url, String payload) {
        this(subject, body, html, url, payload, null, null);
    }

    public static CampaignContent email(String subject, String body, String html) {
        return new CampaignContent(subject, body, html, null, null);
    }

    public static CampaignContent sms(String body) {
        return new CampaignContent(null, body, null, null, null);
    }

    public static CampaignContent webhook(String url, String payload) {
        return new CampaignContent(null, null, null, url, payload);
    }

    /** Whether an e-mail of this content carries the open pixel ({@code trackOpens} is not false). */
    public boolean opensTracked() {
        return !Boolean.FALSE.equals(trackOpens);
    }

    /** Whether an e-mail of this content has its links rewritten ({@code trackClicks} is not false). */
    public boolean clicksTracked() {
        return !Boolean.FALSE.equals(trackClicks);
    }
}
