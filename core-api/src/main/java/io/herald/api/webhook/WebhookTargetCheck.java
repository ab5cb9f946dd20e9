package io.herald.api.webhook;

/** Why a URL may not be called, or null when it may. */
public record WebhookTargetCheck(String refusal) {
}
