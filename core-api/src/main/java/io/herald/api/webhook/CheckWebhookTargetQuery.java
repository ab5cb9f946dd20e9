package io.herald.api.webhook;

/** Whether the dispatcher may call this URL (the outbound address guard); answers a {@link WebhookTargetCheck}. */
public record CheckWebhookTargetQuery(String url) {
}
