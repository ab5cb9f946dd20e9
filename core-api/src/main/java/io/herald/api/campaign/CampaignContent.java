package io.herald.api.campaign;

import jakarta.validation.constraints.Size;

/**
 * What a campaign sends, stored as given (templates are rendered by the delivery side).
 * EMAIL uses {@code subject} with {@code body} (text) and/or {@code html}; SMS uses {@code body};
 * WEBHOOK posts {@code payload} (JSON template text) to {@code url}.
 */
public record CampaignContent(
        @Size(max = 998) String subject,
        @Size(max = 200_000) String body,
        @Size(max = 500_000) String html,
        @Size(max = 2048) String url,
        @Size(max = 200_000) String payload) {

    public static CampaignContent email(String subject, String body, String html) {
        return new CampaignContent(subject, body, html, null, null);
    }

    public static CampaignContent sms(String body) {
        return new CampaignContent(null, body, null, null, null);
    }

    public static CampaignContent webhook(String url, String payload) {
        return new CampaignContent(null, null, null, url, payload);
    }
}
